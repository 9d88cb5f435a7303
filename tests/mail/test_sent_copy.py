"""A copy of what the desk sent, in the mailbox's IMAP Sent folder (destek/mail/sent_copy.py).

Against the test Dovecot, whose ``Sent`` folder is marked ``\\Sent`` (RFC 6154) as Gmail's,
Outlook's and cPanel's are, and aiosmtpd with STARTTLS and AUTH, both with the one certificate
the product is told to trust.
"""

# The SMTP fixtures are imported from tests/mail/smtp_server.py and used as arguments.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from destek.mail import ingest, poller, send, sent_copy
from destek.mail.forms import MailboxForm
from destek.mail.models import CopyState, Mailbox, OutboundEmail, OutboundKind, OutboundStatus
from destek.mail.outbox_tasks import sweep_outbox
from destek.portal import mail as portal_mail
from destek.tickets import actions
from tests.mail.inbound import build_mail
from tests.mail.smtp_server import (  # noqa: F401 (fixtures)
    PASSWORD,
    USERNAME,
    Received,
    immediate_worker,
    start_smtp,
)
from tests.tickets.conftest import page_text

REPLY = "Merhaba Zeynep Hanım,\n\nSiparişiniz bugün kargoya verildi."


@pytest.fixture
def smtp(dovecot):
    server = start_smtp("starttls", cert=(dovecot.cert, dovecot.dir / "key.pem"))
    yield server
    server.stop()


@pytest.fixture
def mailbox(imap_mailbox, smtp):
    """The support mailbox: IMAP and SMTP on the test servers, copies of sent mail on."""
    imap_mailbox.smtp_host, imap_mailbox.smtp_port = smtp.host, smtp.port
    imap_mailbox.smtp_security, imap_mailbox.smtp_user = "starttls", USERNAME
    imap_mailbox.smtp_password = PASSWORD
    imap_mailbox.sent_copy = True
    imap_mailbox.acknowledge = False
    imap_mailbox.save()
    return imap_mailbox


def emailed_ticket(mailbox):
    raw = build_mail(to=mailbox.address, message_id="<s.1@x.test>")
    inbound = ingest.receive_and_process(mailbox, raw, source="pipe")
    assert inbound.ticket is not None, inbound.error
    return inbound.ticket


def folder_mail(dovecot, account, folder: str = "Sent") -> list[tuple[bytes, tuple]]:
    """Every message of ``folder``: its bytes and flags."""
    with dovecot.client(*account) as imap:
        imap.select_folder(folder, readonly=True)
        found = imap.fetch(imap.search(["ALL"]), ["BODY.PEEK[]", "FLAGS"])
    return [(item[b"BODY[]"], item[b"FLAGS"]) for _uid, item in sorted(found.items())]


def sent_reply(ticket, agent) -> OutboundEmail:
    message = actions.reply(ticket=ticket, actor=agent, text=REPLY)
    outbound = OutboundEmail.objects.get(ticket_message=message)
    assert send.deliver(outbound.pk).status == OutboundStatus.SENT
    return OutboundEmail.objects.get(pk=outbound.pk)


def test_a_sent_reply_is_appended_read_to_the_folder_the_server_marks_sent(
    agent, dovecot, imap_account, mailbox, smtp
):
    outbound = sent_reply(emailed_ticket(mailbox), agent)
    assert outbound.copy_state == CopyState.PENDING

    saved = sent_copy.save(outbound.pk)

    assert saved.copy_state == CopyState.SAVED and saved.copy_error == ""
    assert saved.status == OutboundStatus.SENT
    [(raw, flags)] = folder_mail(dovecot, imap_account)
    assert b"\\Seen" in flags
    copy, delivered = Received("", [], raw, None).message, smtp.received[0].message
    # The same mail the customer got: same id, date, subject, people and text.
    for header in ("Message-ID", "Date", "Subject", "From", "To", "In-Reply-To"):
        assert copy[header] == delivered[header], header
    assert copy.get_body(("plain",)).get_content() == delivered.get_body(("plain",)).get_content()
    assert "Siparişiniz bugün kargoya verildi." in copy.get_body(("plain",)).get_content()
    # Not in the folder Destek fetches from: the copy never comes back as new mail.
    assert folder_mail(dovecot, imap_account, "INBOX") == []
    assert poller.fetch_mailbox(mailbox.pk).fetched == 0


def test_the_worker_saves_copies_of_acknowledgements_and_replies_after_sending(
    agent, dovecot, imap_account, mailbox, immediate_worker, django_capture_on_commit_callbacks
):
    mailbox.acknowledge = True
    mailbox.save()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = emailed_ticket(mailbox)
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(ticket=ticket, actor=agent, text=REPLY)

    everything = OutboundEmail.objects.order_by("pk")
    # The agents were told of the new ticket too; those mails are theirs, not the business's.
    notices = everything.filter(kind=OutboundKind.NOTIFICATION)
    assert notices and {row.copy_state for row in notices} == {CopyState.NONE}
    rows = everything.exclude(kind=OutboundKind.NOTIFICATION)
    assert [(row.kind, row.status, row.copy_state) for row in rows] == [
        (OutboundKind.ACKNOWLEDGEMENT, OutboundStatus.SENT, CopyState.SAVED),
        (OutboundKind.REPLY, OutboundStatus.SENT, CopyState.SAVED),
    ]
    ids = [Received("", [], raw, None).message["Message-ID"].strip() for raw, _f in
           folder_mail(dovecot, imap_account)]  # fmt: skip
    assert ids == [f"<{row.message_id}>" for row in rows]


def test_a_named_folder_that_is_missing_is_reported_and_the_copy_retried_once_it_exists(
    agent, dovecot, imap_account, mailbox
):
    mailbox.sent_folder = "Giden Kutusu"
    mailbox.save()
    outbound = sent_reply(emailed_ticket(mailbox), agent)
    now = timezone.now()

    failed = sent_copy.save(outbound.pk, now=now)

    assert failed.status == OutboundStatus.SENT  # the mail itself went out
    assert failed.copy_state == CopyState.PENDING and failed.copy_attempts == 1
    assert "“Giden Kutusu” klasörü yok" in failed.copy_error
    assert sent_copy.sweep(now=now) == []  # not before its backoff
    with dovecot.client(*imap_account) as imap:
        imap.create_folder("Giden Kutusu")
    later = now + sent_copy.retry_delay(1)
    assert sent_copy.sweep(now=later) == [outbound.pk]

    assert sent_copy.save(outbound.pk, now=later).copy_state == CopyState.SAVED
    assert len(folder_mail(dovecot, imap_account, "Giden Kutusu")) == 1
    assert folder_mail(dovecot, imap_account) == []  # not in the server's Sent as well


def test_a_refused_login_fails_the_copy_after_its_attempts_and_the_ticket_says_so(
    agent, agent_client, dovecot, imap_account, mailbox
):
    ticket = emailed_ticket(mailbox)
    outbound = sent_reply(ticket, agent)
    mailbox.imap_password = "yanlış-parola"
    mailbox.save()
    moment = timezone.now()
    for attempt in range(1, sent_copy.MAX_ATTEMPTS + 1):
        row = sent_copy.save(outbound.pk, now=moment)
        assert row.copy_attempts == attempt
        moment += timedelta(days=1)

    assert row.copy_state == CopyState.FAILED and row.status == OutboundStatus.SENT
    assert "kullanıcı adını veya parolayı kabul etmedi" in row.copy_error
    assert sent_copy.sweep(now=moment) == []
    assert sent_copy.save(outbound.pk, now=moment) is None
    text = page_text(agent_client.get(f"/w/{ticket.workspace.slug}/t/{ticket.number}/"))
    assert "Gönderilmiş klasörüne kopyalanamadı:" in text


def test_only_mail_to_customers_gets_a_copy_and_only_when_the_mailbox_asks(mailbox):
    for kind in (OutboundKind.REPLY, OutboundKind.ACKNOWLEDGEMENT, OutboundKind.REMINDER):
        assert sent_copy.wanted(OutboundEmail(mailbox=mailbox, kind=kind))
    # Agents' notifications and customers' sign-in links are not the business's conversation.
    assert not sent_copy.wanted(OutboundEmail(mailbox=mailbox, kind=OutboundKind.NOTIFICATION))
    mailbox.sent_copy = False
    assert not sent_copy.wanted(OutboundEmail(mailbox=mailbox, kind=OutboundKind.REPLY))
    assert not sent_copy.wanted(OutboundEmail(mailbox=None, kind=OutboundKind.REPLY))


def test_the_portals_acknowledgement_holds_a_sign_in_link_and_is_never_copied(
    agent, mailbox, dovecot, imap_account
):
    ticket = emailed_ticket(mailbox)
    portal_mail.acknowledge(ticket=ticket, link_url="https://destek.example.test/s/giris/abc")

    outbound = OutboundEmail.objects.get(kind=OutboundKind.ACKNOWLEDGEMENT)
    assert outbound.holds_sign_in_link and "/s/giris/abc" in outbound.body
    assert not sent_copy.wanted(outbound)
    assert send.deliver(outbound.pk).copy_state == CopyState.NONE
    assert folder_mail(dovecot, imap_account) == []


def test_a_reply_from_a_mailbox_without_copies_has_none_pending(agent, mailbox):
    mailbox.sent_copy = False
    mailbox.save()
    outbound = sent_reply(emailed_ticket(mailbox), agent)
    assert outbound.copy_state == CopyState.NONE
    assert sent_copy.save(outbound.pk) is None


def test_a_copy_still_waiting_when_copies_are_switched_off_is_dropped(
    agent, dovecot, imap_account, mailbox
):
    outbound = sent_reply(emailed_ticket(mailbox), agent)
    mailbox.sent_copy = False
    mailbox.save()

    assert sent_copy.save(outbound.pk).copy_state == CopyState.NONE
    assert folder_mail(dovecot, imap_account) == []
    assert sent_copy.sweep(now=timezone.now() + timedelta(days=1)) == []


def test_two_workers_never_append_the_same_copy(agent, mailbox):
    outbound = sent_reply(emailed_ticket(mailbox), agent)
    now = timezone.now()
    assert sent_copy.claim(outbound.pk, now=now)
    assert not sent_copy.claim(outbound.pk, now=now)
    # A worker that died mid-append leaves the copy to the sweeper once its claim runs out.
    later = now + timedelta(seconds=sent_copy.CLAIM_SECONDS)
    assert sent_copy.sweep(now=later) == [outbound.pk]


def test_the_settings_page_needs_imap_for_copies(workspace):
    form = MailboxForm(
        data={"display_name": "", "imap_folder": "INBOX", "sent_copy": "on"},
        instance=Mailbox(workspace=workspace, address="destek@ornek.test"),
    )
    assert not form.is_valid()
    assert "IMAP sunucusu gerekli" in str(form.errors["sent_copy"])


def test_the_command_line_needs_imap_for_copies(workspace):
    with pytest.raises(CommandError, match="--sent-copy needs --imap-host"):
        call_command(
            "mailbox", "add", "--workspace", workspace.slug, "--address", "destek@ornek.test",
            "--sent-copy",
        )  # fmt: skip


def test_the_minute_sweep_saves_a_copy_that_is_due_again(
    agent, dovecot, imap_account, mailbox, immediate_worker
):
    mailbox.sent_folder = "Arşiv/Giden"
    mailbox.save()
    outbound = sent_reply(emailed_ticket(mailbox), agent)
    assert sent_copy.save(outbound.pk).copy_state == CopyState.PENDING  # no such folder yet
    with dovecot.client(*imap_account) as imap:
        imap.create_folder("Arşiv/Giden")
    OutboundEmail.objects.filter(pk=outbound.pk).update(
        copy_next_at=timezone.now() - timedelta(seconds=1)
    )

    assert sweep_outbox.call_local() == 1

    assert OutboundEmail.objects.get(pk=outbound.pk).copy_state == CopyState.SAVED
    assert len(folder_mail(dovecot, imap_account, "Arşiv/Giden")) == 1
