from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone

from destek.accounts import services
from destek.accounts.models import AuditLog, Invitation, Membership, Role, User
from destek.accounts.services import AccountError
from destek.lib.system_mail import StoredMail, stored_mails
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _invite(workspace, admin, email="yeni@anadolu.test", role=Role.AGENT):
    return services.invite(workspace=workspace, email=email, role=role, actor=admin)


def test_seats_count_active_members_and_pending_invitations(workspace, admin, agent):
    _invite(workspace, admin)
    expired = _invite(workspace, admin, email="eski@anadolu.test")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    Membership.objects.create(
        workspace=workspace,
        user=User.objects.create_user("gitti@anadolu.test"),
        role=Role.AGENT,
        is_active=False,
    )

    assert services.seats_used(workspace) == 4  # owner, admin, agent, one pending invitation


def test_invite_mail_leaves_only_when_the_transaction_commits(
    workspace, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        _invite(workspace, admin)

    assert mail.outbox == []
    assert len(callbacks) == 1


def test_invite_mail_is_marked_with_the_workspace(
    workspace, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(workspace, admin)

    assert mail.outbox[0].extra_headers == {
        "X-Destek-Workspace": "anadolu",
        "X-Destek-Mail": "invitation",
    }


def test_invite_mail_tells_who_invited_and_for_how_long(
    workspace, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(workspace, admin, role=Role.ADMIN)

    assert mail.outbox[0].body == (
        "yonetici sizi Anadolu Kahve çalışma alanına Yönetici olarak davet etti.\n\n"
        f"Daveti kabul etmek için: https://destek.example.test/invite/{invitation.token}/\n\n"
        "Bu bağlantı 7 gün geçerlidir."
    )


def test_inviting_again_replaces_the_pending_invitation(workspace, admin):
    first = _invite(workspace, admin)
    second = _invite(workspace, admin, role=Role.ADMIN)

    assert list(Invitation.objects.values_list("pk", "role")) == [(second.pk, Role.ADMIN)]
    assert first.token != second.token


@pytest.mark.parametrize("role", [Role.OWNER, "superuser"])
def test_invite_refuses_roles_other_than_admin_and_agent(workspace, admin, role):
    with pytest.raises(AccountError):
        _invite(workspace, admin, role=role)


def test_accepting_uses_the_seat_the_invitation_held(workspace, admin, agent):
    workspace.seat_limit = 4
    workspace.save()
    invitation = _invite(workspace, admin)  # the fourth and last seat

    membership = services.accept_invitation(invitation=invitation, name="Can", password="x-y-z-1")

    assert (membership.user.email, membership.role) == ("yeni@anadolu.test", Role.AGENT)
    assert services.seats_used(workspace) == 4


def test_accepting_twice_is_refused(workspace, admin):
    invitation = _invite(workspace, admin)
    services.accept_invitation(invitation=invitation, name="Can", password="x-y-z-1")

    with pytest.raises(AccountError, match="Bu davet geçersiz veya süresi dolmuş."):
        services.accept_invitation(invitation=invitation, name="Can", password="x-y-z-1")


def test_accepting_as_another_user_is_refused(workspace, admin, agent):
    invitation = _invite(workspace, admin)

    with pytest.raises(AccountError, match="Bu davet başka bir e-posta adresi için."):
        services.accept_invitation(invitation=invitation, user=agent)


def test_removed_member_can_be_invited_back(workspace, admin, agent):
    membership = Membership.objects.get(workspace=workspace, user=agent)
    services.remove_member(membership=membership, actor=admin)
    invitation = _invite(workspace, admin, email="ayse@anadolu.test", role=Role.ADMIN)

    services.accept_invitation(invitation=invitation, user=agent)

    membership.refresh_from_db()
    assert (membership.is_active, membership.role) == (True, Role.ADMIN)


def test_cancelling_an_accepted_invitation_is_refused(workspace, admin):
    invitation = _invite(workspace, admin)
    services.accept_invitation(invitation=invitation, name="Can", password="x-y-z-1")
    invitation.refresh_from_db()

    with pytest.raises(AccountError, match="Bu davet zaten kabul edilmiş."):
        services.cancel_invitation(invitation=invitation, actor=admin)


def test_owner_role_cannot_be_changed(workspace, owner):
    membership = Membership.objects.get(workspace=workspace, user=owner)

    with pytest.raises(AccountError, match="Hesap sahibinin rolü değiştirilemez."):
        services.change_role(membership=membership, role=Role.ADMIN, actor=owner)


def test_nobody_becomes_owner_by_a_role_change(workspace, owner, admin):
    membership = Membership.objects.get(workspace=workspace, user=admin)

    with pytest.raises(AccountError):
        services.change_role(membership=membership, role=Role.OWNER, actor=owner)
    assert AuditLog.objects.filter(action="member.role_changed").count() == 0


def _stored(**fields) -> StoredMail:
    defaults = {"name": "a.eml", "sent_at": None, "to": (), "subject": "", "body": ""}
    return StoredMail(**{**defaults, **fields})


def test_password_reset_mail_is_readable_only_by_its_recipient(workspace, owner, admin):
    reset = _stored(to=("patron@anadolu.test",), kind="password-reset")

    assert services.mail_body_visible_to(reset, owner) is True
    assert services.mail_body_visible_to(reset, admin) is False


def test_other_system_mail_is_readable_by_the_workspaces_admins(workspace, admin):
    invitation = _stored(to=("yeni@anadolu.test",), kind="invitation", workspace="anadolu")

    assert services.mail_body_visible_to(invitation, admin) is True


def test_system_mail_for_keeps_marked_mail_to_its_workspace(
    settings, workspace, other_workspace, agent
):
    settings.EMAIL_BACKEND = "destek.lib.system_mail.DataDirEmailBackend"
    marked = {"X-Destek-Workspace": "baska"}
    EmailMessage("Başka'dan", "x", to=["ayse@anadolu.test"], headers=marked).send()
    EmailMessage(
        "Anadolu'dan", "x", to=["kimse@yok.test"], headers={"X-Destek-Workspace": "anadolu"}
    ).send()
    EmailMessage("İşaretsiz", "x", to=["AYSE@anadolu.test"]).send()

    subjects = sorted(m.subject for m in services.system_mail_for(workspace))

    assert subjects == ["Anadolu'dan", "İşaretsiz"]
    assert len(list(stored_mails())) == 3
    assert len(list(Path(settings.SYSTEM_MAIL_DIR).glob("*.eml"))) == 3


def test_trial_end_makes_the_workspace_read_only_until_activated(workspace, owner):
    now = workspace.trial_ends_at + timedelta(seconds=1)

    assert workspace.is_read_only(now) is True
    services.activate_workspace(workspace=workspace, actor=owner)
    assert workspace.is_read_only(now) is False


def test_sign_up_never_takes_over_an_existing_account(workspace, agent):
    with pytest.raises(AccountError, match="Bu e-posta adresiyle zaten bir hesap var."):
        services.create_workspace(
            name="Ele Geçirme",
            slug="ele-gecirme",
            prefix="EGC",
            owner_email="AYSE@anadolu.test",
            owner_password="saldırgan-parolası-1",
            new_owner=True,
        )
    agent.refresh_from_db()
    assert agent.check_password(PASSWORD)
