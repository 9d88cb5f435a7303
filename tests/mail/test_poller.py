"""A pass over the mailboxes: failures recorded with backoff, never blocking the others, the
admins emailed once after repeated failures, success resetting it all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from destek.lib.system_mail import stored_mails
from destek.mail import poller
from destek.mail.models import InboundEmail, Mailbox
from tests.mail.conftest import make_mailbox, turkish_mail


@pytest.fixture(autouse=True)
def _system_mail_to_files(settings):
    settings.EMAIL_BACKEND = "destek.lib.system_mail.DataDirEmailBackend"


@pytest.fixture
def broken(workspace, trust_dovecot) -> Mailbox:
    """A mailbox whose stored password the server refuses."""
    login, _password = trust_dovecot.new_user()
    return make_mailbox(workspace, trust_dovecot, login, "yanlış-parola")


def test_backoff_doubles_from_a_minute_up_to_an_hour():
    assert [poller.backoff(n).total_seconds() for n in range(8)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


def test_wrong_password_is_recorded_with_backoff(broken):
    before = timezone.now()

    [outcome] = poller.poll_once()

    broken.refresh_from_db()
    assert outcome.error == f"{broken.imap_host} kullanıcı adını veya parolayı kabul etmedi."
    assert broken.last_error == outcome.error
    assert broken.failure_count == 1
    assert broken.is_failing()
    assert before + timedelta(seconds=60) <= broken.next_attempt_at
    assert broken.next_attempt_at <= timezone.now() + timedelta(seconds=60)
    assert broken.last_success_at is None
    assert (broken.lease_owner, broken.lease_until) == ("", None)


def test_a_failing_mailbox_does_not_hold_up_the_others(
    workspace, broken, trust_dovecot, imap_mailbox, imap_account
):
    assert broken.pk < imap_mailbox.pk  # the broken one is tried first
    trust_dovecot.append(*imap_account, [turkish_mail(1)])

    outcomes = poller.poll_once(force=True)

    assert [(o.mailbox_id, o.fetched, bool(o.error)) for o in outcomes] == [
        (broken.pk, 0, True),
        (imap_mailbox.pk, 1, False),
    ]
    assert InboundEmail.objects.get().mailbox_id == imap_mailbox.pk


def test_a_mailbox_in_backoff_is_not_due(broken, imap_mailbox):
    poller.poll_once()

    later = poller.poll_once()

    assert [outcome.mailbox_id for outcome in later] == [imap_mailbox.pk]


def fail_times(mailbox: Mailbox, times: int) -> None:
    for _ in range(times):
        assert poller.fetch_mailbox(mailbox.pk).error


def test_admins_are_emailed_once_after_three_failures(workspace, admin, broken):
    fail_times(broken, 2)
    assert list(stored_mails()) == []

    fail_times(broken, 2)

    [mail] = stored_mails()
    assert mail.to == (admin.email,)
    assert (mail.workspace, mail.kind) == ("anadolu", "mailbox-failure")
    assert mail.subject.strip() == f"E-postalar alınamıyor: {broken.address}"
    assert f"{broken.address} posta kutusundan 3 kez üst üste e-posta alamadı" in mail.body
    assert "kullanıcı adını veya parolayı kabul etmedi" in mail.body
    broken.refresh_from_db()
    assert broken.failure_count == 4
    assert broken.failure_notified_at is not None


def test_success_resets_the_failure_state(workspace, admin, broken, dovecot):
    fail_times(broken, 3)
    broken.imap_password = dict(dovecot.users)[broken.imap_user]
    broken.save()

    outcome = poller.fetch_mailbox(broken.pk)

    broken.refresh_from_db()
    assert outcome.error == ""
    assert (broken.failure_count, broken.last_error) == (0, "")
    assert (broken.next_attempt_at, broken.failure_notified_at) == (None, None)
    assert broken.last_success_at is not None
    assert not broken.is_failing()


def test_a_server_that_is_down_is_reported_as_such(workspace, trust_dovecot, imap_account):
    from tests.mail.dovecot import free_port

    make_mailbox(workspace, trust_dovecot, *imap_account, imap_port=free_port())

    [outcome] = poller.poll_once()

    assert "bağlantıyı reddetti" in outcome.error
