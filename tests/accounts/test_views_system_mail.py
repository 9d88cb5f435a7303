import pytest
from django.core.mail import EmailMessage, send_mail

from destek.accounts.models import Membership, Role
from destek.accounts.services import invite
from destek.lib.system_mail import stored_mails

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_to_files")]

LIST = "/w/anadolu/system-mail/"


@pytest.fixture
def mails(workspace, admin, agent, other_workspace, django_capture_on_commit_callbacks):
    """An invitation of each workspace, another workspace's invitation to a member of this one,
    and unmarked mail to this workspace's agent and to a stranger."""
    baska_owner = other_workspace.memberships.get().user
    with django_capture_on_commit_callbacks(execute=True):
        invite(workspace=workspace, email="yeni@anadolu.test", role=Role.AGENT, actor=admin)
        invite(
            workspace=other_workspace, email="yeni@baska.test", role=Role.AGENT, actor=baska_owner
        )
        invite(
            workspace=other_workspace, email="ayse@anadolu.test", role=Role.ADMIN, actor=baska_owner
        )
    send_mail("Haftalık özet", "Merhaba Ayşe", None, ["ayse@anadolu.test"])
    send_mail("Başkasına", "Merhaba", None, ["kimse@yok.test"])
    return {mail.subject: mail for mail in stored_mails()}


def test_system_mail_lists_only_this_workspaces_mail(admin_client, mails):
    response = admin_client.get(LIST)

    assert response.status_code == 200
    listed = [(m.to, m.subject) for m in response.context["page"].object_list]
    assert sorted(listed) == [
        (("ayse@anadolu.test",), "Haftalık özet"),
        (("yeni@anadolu.test",), "Anadolu Kahve sizi Destek'e davet etti"),
    ]
    body = response.content.decode()
    assert "yeni@baska.test" not in body
    assert "kimse@yok.test" not in body
    assert "Başka Firma" not in body


def test_system_mail_detail_shows_the_invitation_with_its_link(admin_client, mails, workspace):
    mail = mails["Anadolu Kahve sizi Destek'e davet etti"]
    token = workspace.invitations.get().token

    response = admin_client.get(f"{LIST}{mail.name}/")

    assert response.status_code == 200
    assert f"https://destek.example.test/invite/{token}/" in response.content.decode()


def test_another_workspaces_mail_cannot_be_opened_by_name(admin_client, mails):
    mail = mails["Başka Firma sizi Destek'e davet etti"]

    response = admin_client.get(f"{LIST}{mail.name}/", follow=True)

    assert response.redirect_chain == [(LIST, 302)]
    assert mail.body not in response.content.decode()
    assert [str(m) for m in response.context["messages"]] == ["Bu e-posta artık yok."]


def test_password_reset_link_is_hidden_from_admins_other_than_its_recipient(
    admin_client, client, owner
):
    client.post("/accounts/password-reset/", {"email": "patron@anadolu.test"})
    (mail,) = stored_mails()

    response = admin_client.get(f"{LIST}{mail.name}/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "/accounts/password-reset/" not in body
    assert "içeriği yalnızca alıcısı görebilir" in body


def test_password_reset_link_is_shown_to_its_own_recipient(admin_client, client, admin):
    client.post("/accounts/password-reset/", {"email": "yonetici@anadolu.test"})
    (mail,) = stored_mails()

    response = admin_client.get(f"{LIST}{mail.name}/")

    assert "https://destek.example.test/accounts/password-reset/" in response.content.decode()


def test_mail_to_a_removed_member_is_no_longer_listed(admin_client, mails, agent, workspace):
    Membership.objects.filter(workspace=workspace, user=agent).update(is_active=False)

    response = admin_client.get(LIST)

    assert [m.subject for m in response.context["page"].object_list] == [
        "Anadolu Kahve sizi Destek'e davet etti"
    ]


def test_owner_gets_403_on_system_mail(owner_client, workspace):
    assert owner_client.get(LIST).status_code == 403


def test_agent_gets_403_on_system_mail(agent_client):
    assert agent_client.get(LIST).status_code == 403


def test_another_workspaces_agent_gets_404_on_system_mail(other_agent_client, workspace):
    assert other_agent_client.get(LIST).status_code == 404


def test_system_mail_times_are_shown_in_the_workspace_time_zone(admin_client, agent):
    date = {"Date": "Mon, 02 Mar 2026 09:30:00 -0000"}  # how Django dates mail: UTC
    EmailMessage("Saat", "x", to=["ayse@anadolu.test"], headers=date).send()

    response = admin_client.get(LIST)

    assert "02 Mar 2026 12:30" in response.content.decode()  # Europe/Istanbul is UTC+3
