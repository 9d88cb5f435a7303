"""The email side of the ticket page: the new part of a mail shown with the full text one click
away, the raw .eml of received mail, and the outbox state of replies with a resend button."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from destek.accounts.settings_cache import forget_all
from destek.mail.models import (
    InboundEmail,
    Mailbox,
    MessageEnvelope,
    OutboundEmail,
    OutboundStatus,
)
from destek.tickets import actions
from destek.tickets.models import Message, Ticket
from tests.conftest import client_for

RAW = (
    b"From: Zeynep Kaya <zeynep.kaya@musteri.test>\r\n"
    b"To: destek@anadolu.test\r\n"
    b"Subject: Kredi kart\xc4\xb1\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"Te\xc5\x9fekk\xc3\xbcrler, \xc3\xa7al\xc4\xb1\xc5\x9ft\xc4\xb1.\r\n"
)
NEW_PART = "Teşekkürler, çalıştı."
FULL_TEXT = (
    NEW_PART + "\n\n18 Mar 2024 Pzt, 10:00 tarihinde Destek şunu yazdı:\n> Kartınızı deneyin"
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reply(ticket, agent) -> Message:
    # Written before the workspace has a mailbox: the outbox rows below are the test's own.
    actions.reply(ticket=ticket, actor=agent, text="Kartınızı yeniden deneyin.")
    return ticket.messages.get(kind="reply")


@pytest.fixture
def mailbox(workspace, reply) -> Mailbox:
    return Mailbox.objects.create(workspace=workspace, address="destek@anadolu.test")


def emailed(message: Message, mailbox: Mailbox, raw: bytes = RAW) -> InboundEmail:
    """Make ``message`` one that came in by email, with its raw original stored."""
    inbound = InboundEmail.objects.create(
        workspace=mailbox.workspace,
        mailbox=mailbox,
        source="imap",
        raw=raw,
        size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
        status="processed",
    )
    MessageEnvelope.objects.create(
        workspace=mailbox.workspace,
        ticket_message=message,
        ticket=message.ticket,
        mailbox=mailbox,
        inbound=inbound,
    )
    return inbound


def outbox_row(message: Message, mailbox: Mailbox, **values: object) -> OutboundEmail:
    values.setdefault("status", OutboundStatus.QUEUED)
    return OutboundEmail.objects.create(
        workspace=mailbox.workspace,
        mailbox=mailbox,
        ticket=message.ticket,
        ticket_message=message,
        kind="reply",
        to=["zeynep.kaya@musteri.test"],
        subject="[DST-1] Kredi kartı",
        message_id=f"<{message.pk}.{OutboundEmail.objects.count()}@anadolu.test>",
        **values,
    )


def detail_url(ticket: Ticket) -> str:
    return reverse("ticket_detail", args=[ticket.workspace.slug, ticket.number])


def eml_url(message: Message) -> str:
    return reverse("message_eml", args=[message.workspace.slug, message.ticket.number, message.pk])


def resend_url(outbound: OutboundEmail) -> str:
    ticket = outbound.ticket
    return reverse("outbound_resend", args=[ticket.workspace.slug, ticket.number, outbound.pk])


def article(response, message: Message) -> str:
    body = response.content.decode()
    match = re.search(rf'<li id="m{message.pk}">(.*?)</article>', body, re.S)
    assert match, f"message {message.pk} not on the page"
    return match.group(1)


# --- the new part and the full text -------------------------------------------------------------


def test_new_part_is_shown_and_the_full_text_is_one_click_away(agent_client, ticket):
    first = ticket.messages.get()
    Message.objects.filter(pk=first.pk).update(text=FULL_TEXT, visible_text=NEW_PART)

    shown = article(agent_client.get(detail_url(ticket)), first)

    before_details, details = shown.split("<details", 1)
    assert NEW_PART in before_details
    assert "Kartınızı deneyin" not in before_details
    assert "<summary>Tümünü göster</summary>" in details
    assert "&gt; Kartınızı deneyin" in details


def test_message_without_a_folded_part_is_shown_whole(agent_client, ticket):
    shown = article(agent_client.get(detail_url(ticket)), ticket.messages.get())

    assert "Sepette ödeme adımında hata alıyorum" in shown
    assert "<details" not in shown


# --- the raw original ---------------------------------------------------------------------------


def test_emailed_message_links_its_raw_original(agent_client, ticket, mailbox):
    first = ticket.messages.get(kind="customer")
    emailed(first, mailbox)

    shown = article(agent_client.get(detail_url(ticket)), first)

    assert eml_url(first) in shown


def test_raw_download_is_exactly_the_stored_bytes(agent_client, ticket, mailbox):
    first = ticket.messages.get(kind="customer")
    emailed(first, mailbox)

    response = agent_client.get(eml_url(first))

    assert response.status_code == 200
    assert response.content == RAW
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"].startswith("attachment;")


def test_message_that_did_not_come_by_email_has_no_raw_original(agent_client, ticket, reply):
    assert agent_client.get(eml_url(reply)).status_code == 404
    assert eml_url(reply) not in agent_client.get(detail_url(ticket)).content.decode()


def test_raw_under_another_tickets_number_is_404(agent_client, ticket, mailbox, customer):
    first = ticket.messages.get(kind="customer")
    emailed(first, mailbox)
    other = actions.create_ticket(
        workspace=ticket.workspace, customer=customer, subject="Başka", text="Başka"
    )

    url = reverse("message_eml", args=[ticket.workspace.slug, other.number, first.pk])

    assert agent_client.get(url).status_code == 404


def test_owner_is_refused_the_raw_original(owner_client, ticket, mailbox):
    first = ticket.messages.get(kind="customer")
    emailed(first, mailbox)

    response = owner_client.get(eml_url(first))

    assert response.status_code == 403
    assert b"Zeynep" not in response.content


def test_other_workspace_gets_404_for_the_raw_original(other_agent_client, ticket, mailbox):
    first = ticket.messages.get(kind="customer")
    emailed(first, mailbox)

    assert other_agent_client.get(eml_url(first)).status_code == 404


# --- outbox state of replies --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "label"),
    [(OutboundStatus.QUEUED, "Sırada"), (OutboundStatus.SENT, "Gönderildi")],
)
def test_reply_shows_its_outbox_state(agent_client, ticket, reply, mailbox, status, label):
    outbox_row(reply, mailbox, status=status)

    shown = article(agent_client.get(detail_url(ticket)), reply)

    assert label in shown
    assert "Tekrar gönder" not in shown


def test_failed_reply_shows_the_smtp_error_and_a_resend_button(
    agent_client, ticket, reply, mailbox
):
    failed = outbox_row(
        reply, mailbox, status=OutboundStatus.FAILED, last_error="550 5.1.1 Mailbox unavailable"
    )

    shown = article(agent_client.get(detail_url(ticket)), reply)

    assert "Başarısız" in shown
    assert "550 5.1.1 Mailbox unavailable" in shown
    assert f'action="{resend_url(failed)}"' in shown
    assert "Tekrar gönder" in shown


def test_resend_puts_the_failed_reply_back_in_the_queue(agent_client, ticket, reply, mailbox):
    failed = outbox_row(reply, mailbox, status=OutboundStatus.FAILED, attempts=5, last_error="x")

    response = agent_client.post(resend_url(failed))

    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == (OutboundStatus.QUEUED, 0, "")
    assert response["Location"] == f"{detail_url(ticket)}#m{reply.pk}"


def test_resend_of_a_sent_mail_changes_nothing(agent_client, reply, mailbox):
    sent = outbox_row(reply, mailbox, status=OutboundStatus.SENT)

    agent_client.post(resend_url(sent))

    sent.refresh_from_db()
    assert sent.status == OutboundStatus.SENT


def test_resend_must_be_posted(agent_client, reply, mailbox):
    failed = outbox_row(reply, mailbox, status=OutboundStatus.FAILED)

    assert agent_client.get(resend_url(failed)).status_code == 405


def test_owner_and_other_workspace_cannot_resend(owner, other_agent, reply, mailbox):
    failed = outbox_row(reply, mailbox, status=OutboundStatus.FAILED)

    assert client_for(owner).post(resend_url(failed)).status_code == 403
    assert client_for(other_agent).post(resend_url(failed)).status_code == 404
    failed.refresh_from_db()
    assert failed.status == OutboundStatus.FAILED


def test_ticket_page_query_count_stays_constant_with_mail(agent_client, agent, workspace, customer):
    box = Mailbox.objects.create(workspace=workspace, address="destek@anadolu.test")
    agent_client.get(reverse("ticket_queue", args=[workspace.slug]))  # session learns workspace

    def queries_for(rounds: int) -> int:
        ticket = actions.create_ticket(
            workspace=workspace, customer=customer, subject="Sayım", text="ilk"
        )
        emailed(ticket.messages.get(), box, raw=RAW + str(ticket.pk).encode())
        for index in range(rounds):
            actions.reply(ticket=ticket, actor=agent, text=f"yanıt {index}")
            message = ticket.messages.filter(kind="reply").latest("id")
            outbox_row(message, box, status=OutboundStatus.FAILED, last_error="421")
        forget_all()  # both counts include the settings, read once per process
        with CaptureQueriesContext(connection) as captured:
            assert agent_client.get(detail_url(ticket)).status_code == 200
        return len(captured)

    assert queries_for(1) == queries_for(8)
