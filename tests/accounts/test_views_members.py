import pytest
from django.core import mail

from destek.accounts.models import AuditLog, Invitation, Membership, Role
from destek.tickets import actions
from tests.accounts.conftest import link_in

pytestmark = pytest.mark.django_db

MEMBERS = "/w/anadolu/members/"


def _membership(workspace, user):
    return Membership.objects.get(workspace=workspace, user=user)


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def test_admin_sees_members_with_roles_and_seats(admin_client, agent):
    response = admin_client.get(MEMBERS)

    assert response.status_code == 200
    rows = [(m.user.email, m.role) for m in response.context["members"]]
    assert rows == [
        ("patron@anadolu.test", Role.OWNER),
        ("yonetici@anadolu.test", Role.ADMIN),
        ("ayse@anadolu.test", Role.AGENT),
    ]
    assert "Koltuk: 3 / 25" in response.content.decode()


def test_owner_can_open_the_members_page(owner_client):
    assert owner_client.get(MEMBERS).status_code == 200


def test_agent_gets_403_on_the_members_page(agent_client):
    assert agent_client.get(MEMBERS).status_code == 403


def test_another_workspaces_agent_gets_404_on_the_members_page(other_agent_client, workspace):
    assert other_agent_client.get(MEMBERS).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, workspace):
    response = client.get(MEMBERS)

    assert response["Location"] == "/accounts/login/?next=/w/anadolu/members/"


def test_admin_can_manage_agents_but_not_the_owner_or_themselves(admin_client, workspace, agent):
    response = admin_client.get(MEMBERS)

    assert response.context["manageable"] == {_membership(workspace, agent).pk}


def test_owner_can_manage_admins_and_agents(owner_client, workspace, admin, agent):
    response = owner_client.get(MEMBERS)

    expected = {_membership(workspace, admin).pk, _membership(workspace, agent).pk}
    assert response.context["manageable"] == expected


def test_invite_creates_an_invitation_and_mails_the_accept_link(
    admin_client, admin, workspace, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/w/anadolu/members/invite/", {"email": "Yeni@Anadolu.test", "role": "agent"}
        )

    assert response.status_code == 302
    assert response["Location"] == MEMBERS
    invitation = Invitation.objects.get(workspace=workspace)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "yeni@anadolu.test",
        Role.AGENT,
        admin,
    )
    assert [m.to for m in mail.outbox] == [["yeni@anadolu.test"]]
    assert mail.outbox[0].subject == "Anadolu Kahve sizi Destek'e davet etti"
    assert link_in(mail.outbox[0].body) == (
        f"https://destek.example.test/invite/{invitation.token}/"
    )


def test_invite_is_audit_logged(admin_client, admin, workspace):
    admin_client.post("/w/anadolu/members/invite/", {"email": "yeni@anadolu.test", "role": "admin"})

    entry = AuditLog.objects.get(action="member.invited")
    assert (entry.workspace, entry.actor, entry.target, entry.data) == (
        workspace,
        admin,
        "yeni@anadolu.test",
        {"role": "admin"},
    )


def test_pending_invitation_is_listed_and_takes_a_seat(admin_client, workspace):
    admin_client.post("/w/anadolu/members/invite/", {"email": "yeni@anadolu.test", "role": "agent"})

    response = admin_client.get(MEMBERS)

    assert [i.email for i in response.context["invitations"]] == ["yeni@anadolu.test"]
    assert "Koltuk: 3 / 25" in response.content.decode()  # owner, admin + the invitation


def test_invite_refuses_when_the_seat_limit_is_reached(admin_client, workspace, agent):
    workspace.seat_limit = 3
    workspace.save()

    response = admin_client.post(
        "/w/anadolu/members/invite/", {"email": "yeni@anadolu.test", "role": "agent"}
    )

    assert response.status_code == 200
    assert response.context["invite_form"].non_field_errors() == [
        "Koltuk sınırına ulaşıldı (3 kişi). Yeni kişi eklemek için bir üyeyi çıkarın veya "
        "koltuk sınırını artırın."
    ]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invite_refuses_someone_who_is_already_a_member(admin_client, agent):
    response = admin_client.post(
        "/w/anadolu/members/invite/", {"email": "ayse@anadolu.test", "role": "agent"}
    )

    assert response.context["invite_form"].non_field_errors() == [
        "ayse@anadolu.test zaten bu çalışma alanında."
    ]


def test_invite_cannot_hand_out_the_owner_role(owner_client):
    response = owner_client.post(
        "/w/anadolu/members/invite/", {"email": "yeni@anadolu.test", "role": "owner"}
    )

    assert response.status_code == 200
    assert "role" in response.context["invite_form"].errors
    assert not Invitation.objects.exists()


def test_invite_is_post_only(admin_client):
    assert admin_client.get("/w/anadolu/members/invite/").status_code == 405


def test_cancelled_invitation_frees_its_seat(admin_client, workspace):
    admin_client.post("/w/anadolu/members/invite/", {"email": "yeni@anadolu.test", "role": "agent"})
    invitation = Invitation.objects.get()

    response = admin_client.post(f"/w/anadolu/members/invitations/{invitation.pk}/cancel/")

    assert response["Location"] == MEMBERS
    assert not Invitation.objects.exists()
    assert AuditLog.objects.filter(action="invitation.cancelled").count() == 1


def test_removing_a_member_returns_their_open_tickets_to_unassigned(
    admin_client, admin, agent, workspace, customer
):
    ticket = actions.create_ticket(
        workspace=workspace, customer=customer, subject="Fatura gelmedi", text="Faturam nerede?"
    )
    actions.assign(ticket=ticket, actor=admin, assignee=agent)
    membership = _membership(workspace, agent)

    response = admin_client.post(f"/w/anadolu/members/{membership.pk}/remove/")

    assert response.status_code == 302
    assert response["Location"] == MEMBERS
    membership.refresh_from_db()
    assert membership.is_active is False
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_removing_a_member_is_audit_logged(admin_client, admin, agent, workspace):
    admin_client.post(f"/w/anadolu/members/{_membership(workspace, agent).pk}/remove/")

    entry = AuditLog.objects.get(action="member.removed")
    assert (entry.workspace, entry.actor, entry.target) == (workspace, admin, "ayse@anadolu.test")


def test_removed_member_loses_access_to_the_workspace(admin_client, agent, agent_client, workspace):
    admin_client.post(f"/w/anadolu/members/{_membership(workspace, agent).pk}/remove/")

    assert agent_client.get("/w/anadolu/").status_code == 404


def test_remove_is_post_only(admin_client, agent, workspace):
    url = f"/w/anadolu/members/{_membership(workspace, agent).pk}/remove/"

    assert admin_client.get(url).status_code == 405
    assert _membership(workspace, agent).is_active is True


def test_admin_cannot_remove_the_owner(admin_client, owner, workspace):
    owner_membership = _membership(workspace, owner)

    response = admin_client.post(f"/w/anadolu/members/{owner_membership.pk}/remove/")

    assert response.status_code == 403
    assert _membership(workspace, owner).is_active is True


def test_admin_cannot_demote_the_owner(admin_client, owner, workspace):
    owner_membership = _membership(workspace, owner)

    response = admin_client.post(
        f"/w/anadolu/members/{owner_membership.pk}/role/", {"role": "agent"}
    )

    assert response.status_code == 403
    assert _membership(workspace, owner).role == Role.OWNER


def test_owner_cannot_remove_themselves(owner_client, owner, workspace):
    response = owner_client.post(
        f"/w/anadolu/members/{_membership(workspace, owner).pk}/remove/", follow=True
    )

    assert _messages(response) == ["Hesap sahibi çıkarılamaz."]
    assert _membership(workspace, owner).is_active is True


def test_admin_cannot_remove_themselves(admin_client, admin, workspace):
    response = admin_client.post(
        f"/w/anadolu/members/{_membership(workspace, admin).pk}/remove/", follow=True
    )

    assert _messages(response) == ["Kendinizi çıkaramazsınız."]
    assert _membership(workspace, admin).is_active is True


def test_admin_cannot_change_their_own_role(admin_client, admin, workspace):
    response = admin_client.post(
        f"/w/anadolu/members/{_membership(workspace, admin).pk}/role/",
        {"role": "agent"},
        follow=True,
    )

    assert _messages(response) == ["Kendi rolünüzü değiştiremezsiniz."]
    assert _membership(workspace, admin).role == Role.ADMIN


def test_owner_can_make_the_admin_an_agent(owner_client, owner, admin, workspace):
    membership = _membership(workspace, admin)

    response = owner_client.post(f"/w/anadolu/members/{membership.pk}/role/", {"role": "agent"})

    assert response["Location"] == MEMBERS
    assert _membership(workspace, admin).role == Role.AGENT
    entry = AuditLog.objects.get(action="member.role_changed")
    assert (entry.actor, entry.target, entry.data) == (
        owner,
        "yonetici@anadolu.test",
        {"old": "admin", "new": "agent"},
    )


def test_admin_can_promote_an_agent(admin_client, agent, workspace):
    membership = _membership(workspace, agent)

    admin_client.post(f"/w/anadolu/members/{membership.pk}/role/", {"role": "admin"})

    assert _membership(workspace, agent).role == Role.ADMIN


def test_nobody_can_be_made_owner_from_the_members_page(owner_client, admin, workspace):
    membership = _membership(workspace, admin)

    response = owner_client.post(
        f"/w/anadolu/members/{membership.pk}/role/", {"role": "owner"}, follow=True
    )

    assert _messages(response) == ["Geçersiz rol."]
    assert _membership(workspace, admin).role == Role.ADMIN


def test_members_of_another_workspace_cannot_be_removed(admin_client, other_agent, other_workspace):
    membership = _membership(other_workspace, other_agent)

    response = admin_client.post(f"/w/anadolu/members/{membership.pk}/remove/")

    assert response.status_code == 404
    assert _membership(other_workspace, other_agent).is_active is True
