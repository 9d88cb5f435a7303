"""Sending replies through a real SMTP server (destek/mail/send.py, compose.py, outbox.py).

The server is aiosmtpd on loopback in the three shapes a business's mailbox has: STARTTLS with
AUTH (587), implicit TLS with AUTH (465) and plain (25); its self-signed certificate is verified
through ``DESTEK_MAIL_CA_FILE`` like any other.
"""

# The SMTP fixtures are imported from tests/mail/smtp_server.py and used as arguments.
# ruff: noqa: F811

from __future__ import annotations

import hashlib
import threading
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from destek.mail import ingest, outbox, poller, send, tokens
from destek.mail.models import Mailbox, OutboundEmail, OutboundKind, OutboundStatus
from destek.tickets import actions
from tests.mail.dovecot import free_port
from tests.mail.inbound import ADDRESS, build_mail
from tests.mail.smtp_server import (  # noqa: F401 (fixtures)
    PASSWORD,
    SIGNATURE,
    USERNAME,
    Received,
    connect_mailbox,
    immediate_worker,
    smtp_cert,
    smtp_server,
    smtp_starttls,
    start_smtp,
    trust_smtp_cert,
)

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
REPLY = "Merhaba Zeynep Hanım,\n\nSiparişiniz **bugün** kargoya verildi."


def emailed_ticket(mailbox: Mailbox, **mail):
    """A ticket that started as a customer's mail (Cc: a colleague) through the real ingest."""
    raw = build_mail(
        cc="Ali Veli <ali.veli@musteri.test>",
        references="<ilk.soru@musteri.test>",
        **mail,
    )
    inbound = ingest.receive_and_process(mailbox, raw, source="pipe")
    assert inbound.ticket is not None, inbound.error
    return inbound.ticket


def reply_with_pdf(ticket, agent):
    upload = SimpleUploadedFile("fatura şubat.pdf", PDF, content_type="application/pdf")
    return actions.reply(ticket=ticket, actor=agent, text=REPLY, files=[upload])


def test_a_reply_arrives_with_the_headers_a_mail_client_threads_on(
    workspace, agent, smtp_server, immediate_worker, django_capture_on_commit_callbacks
):
    mailbox = connect_mailbox(workspace, smtp_server)
    ticket = emailed_ticket(mailbox)
    with django_capture_on_commit_callbacks(execute=True):
        message = reply_with_pdf(ticket, agent)

    outbound = OutboundEmail.objects.get(ticket_message=message)
    assert outbound.status == OutboundStatus.SENT and outbound.attempts == 0
    [mail] = smtp_server.received
    assert mail.mail_from == ADDRESS
    assert mail.rcpt_tos == ["zeynep.kaya@musteri.test", "ali.veli@musteri.test"]
    assert mail.login == (None if smtp_server.mode == "plain" else USERNAME)
    msg = mail.message
    assert msg["From"] == "Anadolu Kahve Destek <destek@anadolukahve.com.tr>"
    assert msg["To"] == "Zeynep Kaya <zeynep.kaya@musteri.test>"
    assert msg["Cc"] == "Ali Veli <ali.veli@musteri.test>"
    assert msg["Subject"] == f"Re: [{ticket.code}] Siparişim hâlâ gelmedi"
    # A long id (large workspace and ticket numbers) is folded onto its own line, as RFC 5322
    # allows; the unfolded value keeps the space that stood before the fold.
    assert msg["Message-ID"].strip() == f"<{outbound.message_id}>"
    assert tokens.ticket_of_message_id(outbound.message_id) == (workspace.pk, ticket.pk)
    assert outbound.message_id.endswith("@anadolukahve.com.tr")
    assert msg["In-Reply-To"] == "<siparis.1@musteri.test>"
    assert msg["References"] == "<ilk.soru@musteri.test> <siparis.1@musteri.test>"
    assert msg["Auto-Submitted"] is None  # a person wrote it
    assert msg["Date"] is not None


def test_a_reply_has_text_and_html_with_signature_token_and_exact_attachment(
    workspace, agent, smtp_starttls, immediate_worker, django_capture_on_commit_callbacks
):
    mailbox = connect_mailbox(workspace, smtp_starttls)
    ticket = emailed_ticket(mailbox)
    with django_capture_on_commit_callbacks(execute=True):
        reply_with_pdf(ticket, agent)

    msg = smtp_starttls.received[0].message
    assert msg.get_content_type() == "multipart/mixed"
    body, attachment = msg.iter_parts()
    assert body.get_content_type() == "multipart/alternative"
    text, html = (part.get_content() for part in body.iter_parts())
    token = tokens.make_body_token(workspace_id=workspace.pk, ticket_id=ticket.pk)
    assert text == (f"{REPLY}\n\n-- \n{SIGNATURE}\n\nTakip kodu: {ticket.code} · {token}\n")
    assert "<strong>bugün</strong>" in html
    assert "Anadolu Kahve Destek Ekibi<br>0212 555 00 00" in html
    assert f"Takip kodu: {ticket.code} · {token}</p>" in html
    assert attachment.get_filename() == "fatura şubat.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert hashlib.sha256(attachment.get_content()).digest() == hashlib.sha256(PDF).digest()


def test_the_customers_answer_to_our_reply_joins_the_same_ticket(
    workspace, agent, smtp_starttls, immediate_worker, django_capture_on_commit_callbacks
):
    mailbox = connect_mailbox(workspace, smtp_starttls)
    ticket = emailed_ticket(mailbox)
    with django_capture_on_commit_callbacks(execute=True):
        reply_with_pdf(ticket, agent)
    sent = smtp_starttls.received[0].message

    answer = build_mail(
        subject=f"Re: {sent['Subject']}",
        text="Teşekkürler, kargo takip numarasını da alabilir miyim?\n",
        message_id="<cevap.2@musteri.test>",
        in_reply_to=sent["Message-ID"],
        references=f"{sent['References']} {sent['Message-ID']}",
    )
    inbound = ingest.receive_and_process(mailbox, answer, source="pipe")
    assert inbound.ticket_id == ticket.pk
    assert ticket.messages.count() == 3


def test_an_answer_with_rewritten_ids_finds_the_ticket_by_the_quoted_body_token(
    workspace, agent, smtp_starttls, immediate_worker, django_capture_on_commit_callbacks
):
    mailbox = connect_mailbox(workspace, smtp_starttls)
    ticket = emailed_ticket(mailbox)
    with django_capture_on_commit_callbacks(execute=True):
        reply_with_pdf(ticket, agent)
    sent_text = smtp_starttls.received[0].message.get_body(("plain",)).get_content()
    quoted = "".join(f"> {line}\n" for line in sent_text.splitlines())
    answer = build_mail(
        subject="Kargo",  # no code, and the ids the provider rewrote point nowhere
        text=f"Tamam, teşekkürler.\n\n{quoted}",
        message_id="<cevap.3@musteri.test>",
        in_reply_to="<rewritten.1@provider.test>",
    )
    assert ingest.receive_and_process(mailbox, answer, source="pipe").ticket_id == ticket.pk


def test_a_ticket_typed_in_from_a_phone_call_with_no_mailbox_sends_nothing(ticket, agent):
    message = actions.reply(ticket=ticket, actor=agent, text="Aradığınız için teşekkürler.")
    assert not OutboundEmail.objects.filter(ticket_message=message).exists()
    assert not hasattr(message, "envelope") or message.envelope is None


def test_a_mailbox_without_smtp_settings_keeps_the_reply_queued_and_visible(
    workspace, agent, django_capture_on_commit_callbacks
):
    mailbox = connect_mailbox(workspace, None)
    ticket = emailed_ticket(mailbox)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = actions.reply(ticket=ticket, actor=agent, text="Yanıt")
    outbound = OutboundEmail.objects.get(ticket_message=message)
    assert outbound.status == OutboundStatus.QUEUED
    assert send.deliver(outbound.pk).status == OutboundStatus.QUEUED
    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts, outbound.last_error) == ("queued", 0, "")
    assert outbound.pk not in send.sweep()
    assert len(callbacks) == 1  # the reply's own message_created; nothing handed to a worker


def _dead_mailbox(workspace) -> Mailbox:
    mailbox = connect_mailbox(workspace, None)
    mailbox.smtp_host, mailbox.smtp_port, mailbox.smtp_security = "127.0.0.1", free_port(), "none"
    mailbox.save()
    return mailbox


def test_a_dead_smtp_server_is_retried_with_backoff_then_the_reply_fails(workspace, agent):
    mailbox = _dead_mailbox(workspace)
    message = actions.reply(ticket=emailed_ticket(mailbox), actor=agent, text="Yanıt")
    outbound = OutboundEmail.objects.get(ticket_message=message)
    now = timezone.now()
    waits = []
    for attempt in range(1, send.MAX_ATTEMPTS + 1):
        outbound = send.deliver(outbound.pk, now=now)
        assert outbound.attempts == attempt
        assert "bağlantıyı reddetti" in outbound.last_error
        if attempt < send.MAX_ATTEMPTS:
            assert outbound.status == OutboundStatus.QUEUED
            assert (
                send.deliver(outbound.pk, now=outbound.next_attempt_at - timedelta(seconds=1))
                is None
            )
            waits.append(outbound.next_attempt_at - now)
            now = outbound.next_attempt_at
    assert outbound.status == OutboundStatus.FAILED
    assert [w.total_seconds() / 60 for w in waits] == [1, 3, 9, 27, 81]
    assert send.deliver(outbound.pk, now=now + timedelta(days=1)) is None


def test_a_wrong_smtp_password_fails_at_once_with_the_servers_answer(
    workspace, agent, smtp_cert, trust_smtp_cert
):
    for mode in ("starttls", "smtps"):
        server = start_smtp(mode, cert=smtp_cert)
        try:
            Mailbox.objects.filter(workspace=workspace).delete()
            mailbox = connect_mailbox(workspace, server)
            mailbox.smtp_password = "yanlış-parola"
            mailbox.save()
            message = actions.reply(ticket=emailed_ticket(mailbox), actor=agent, text="Yanıt")
            outbound = send.deliver(OutboundEmail.objects.get(ticket_message=message).pk)
        finally:
            server.stop()
        assert outbound.status == OutboundStatus.FAILED, mode
        assert outbound.attempts == 1
        assert outbound.last_error == (
            "127.0.0.1 kullanıcı adını veya parolayı kabul etmedi. "
            "(535 5.7.8 Authentication credentials invalid)"
        )
        assert server.received == []


def test_resend_puts_a_failed_reply_back_and_it_goes_out(
    workspace, agent, smtp_starttls, immediate_worker, django_capture_on_commit_callbacks
):
    mailbox = connect_mailbox(workspace, smtp_starttls)
    mailbox.smtp_password = "yanlış-parola"
    mailbox.save()
    message = actions.reply(ticket=emailed_ticket(mailbox), actor=agent, text="Yanıt")
    outbound = send.deliver(OutboundEmail.objects.get(ticket_message=message).pk)
    assert outbound.status == OutboundStatus.FAILED

    mailbox.smtp_password = PASSWORD  # the admin fixes the password
    mailbox.save()
    with django_capture_on_commit_callbacks(execute=True):
        outbox.resend(outbound, actor=agent)
    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts, outbound.last_error) == ("sent", 0, "")
    assert len(smtp_starttls.received) == 1
    with pytest.raises(actions.ActionError, match="zaten gönderildi"):
        outbox.resend(outbound, actor=agent)


def test_a_failed_reply_is_failed_for_resend_only_once(workspace, agent):
    mailbox = _dead_mailbox(workspace)
    message = actions.reply(ticket=emailed_ticket(mailbox), actor=agent, text="Yanıt")
    outbound = OutboundEmail.objects.get(ticket_message=message)
    OutboundEmail.objects.filter(pk=outbound.pk).update(status=OutboundStatus.FAILED, attempts=6)
    assert outbox.resend(outbound, actor=agent).status == OutboundStatus.QUEUED
    assert outbox.resend(outbound, actor=agent).status == OutboundStatus.QUEUED


def test_the_sweeper_releases_a_mail_stuck_in_sending_and_lists_due_ones(workspace, agent):
    mailbox = _dead_mailbox(workspace)
    message = actions.reply(ticket=emailed_ticket(mailbox), actor=agent, text="Yanıt")
    outbound = OutboundEmail.objects.get(ticket_message=message)
    now = timezone.now()
    assert send.claim(outbound.pk, now=now)
    assert not send.claim(outbound.pk, now=now)  # a second worker does not get it
    assert send.sweep(now=now + timedelta(minutes=9)) == []
    assert send.sweep(now=now + timedelta(minutes=11)) == [outbound.pk]
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.QUEUED


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_the_same_mail(workspace, agent, smtp_starttls):
    mailbox = connect_mailbox(workspace, smtp_starttls)
    message = actions.reply(ticket=emailed_ticket(mailbox), actor=agent, text="Yanıt")
    pk = OutboundEmail.objects.get(ticket_message=message).pk
    results, start = [], threading.Barrier(4)

    def worker():
        try:
            start.wait()
            results.append(send.deliver(pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 4
    assert [r.status for r in results if r is not None] == [OutboundStatus.SENT]
    assert len(smtp_starttls.received) == 1


def test_an_acknowledgement_is_marked_automatic_and_carries_the_token(workspace, smtp_starttls):
    mailbox = connect_mailbox(workspace, smtp_starttls)
    Mailbox.objects.filter(pk=mailbox.pk).update(acknowledge=True)
    mailbox.refresh_from_db()
    ticket = emailed_ticket(mailbox)
    ack = OutboundEmail.objects.get(ticket=ticket, kind=OutboundKind.ACKNOWLEDGEMENT)
    assert send.deliver(ack.pk).status == OutboundStatus.SENT
    msg = smtp_starttls.received[0].message
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["X-Auto-Response-Suppress"] == "All"
    assert msg["In-Reply-To"] == "<siparis.1@musteri.test>"
    assert msg.get_content_type() == "text/plain"
    token = tokens.make_body_token(workspace_id=workspace.pk, ticket_id=ticket.pk)
    assert msg.get_content().endswith(f"-- \n{SIGNATURE}\n\nTakip kodu: {ticket.code} · {token}\n")


def test_a_reply_lands_in_the_customers_real_mailbox_and_the_answer_comes_back_over_imap(
    workspace, agent, dovecot, trust_dovecot, imap_mailbox
):
    """End to end through real servers: IMAP fetch → ticket → reply over SMTP (STARTTLS+AUTH)
    relayed by LMTP into the customer's Dovecot mailbox → the customer answers → fetched
    over IMAP → the same ticket."""
    customer, customer_password = dovecot.new_user()
    support = imap_mailbox.address
    server = start_smtp(
        "starttls",
        cert=(dovecot.cert, dovecot.dir / "key.pem"),  # the one CA the product trusts here
        relay_lmtp=("127.0.0.1", dovecot.lmtp_port),
    )
    try:
        imap_mailbox.smtp_host, imap_mailbox.smtp_port = server.host, server.port
        imap_mailbox.smtp_security, imap_mailbox.smtp_user = "starttls", USERNAME
        imap_mailbox.smtp_password = PASSWORD
        imap_mailbox.acknowledge = False
        imap_mailbox.save()
        first = build_mail(sender=f"Zeynep <{customer}>", to=support, message_id="<s.1@x.test>")
        dovecot.deliver(support, first)
        assert poller.fetch_mailbox(imap_mailbox.pk).fetched == 1
        ticket = Mailbox.objects.get(pk=imap_mailbox.pk).inbound.get().ticket

        message = actions.reply(ticket=ticket, actor=agent, text=REPLY)
        outbound = OutboundEmail.objects.get(ticket_message=message)
        assert send.deliver(outbound.pk).status == OutboundStatus.SENT

        with dovecot.client(customer, customer_password) as imap:
            imap.select_folder("INBOX", readonly=True)
            [uid] = imap.search(["ALL"])
            raw = imap.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
        received = Received("", [], raw, None).message
        assert received["Message-ID"] == f"<{outbound.message_id}>"
        assert received["In-Reply-To"] == "<s.1@x.test>"
        assert received["Subject"] == f"Re: [{ticket.code}] Siparişim hâlâ gelmedi"

        answer = build_mail(
            sender=f"Zeynep <{customer}>",
            to=support,
            subject=f"Re: {received['Subject']}",
            text="Teşekkürler!\n",
            message_id="<s.2@x.test>",
            in_reply_to=received["Message-ID"],
        )
        dovecot.deliver(support, answer)
        assert poller.fetch_mailbox(imap_mailbox.pk).fetched == 1
    finally:
        server.stop()
    assert [m.kind for m in ticket.messages.all()] == ["customer", "reply", "customer"]
