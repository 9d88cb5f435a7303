"""The outbox rows (destek/mail/outbox.py): what a reply, an acknowledgement and a bounce write.

Mail comes in through the real ingest; nothing here needs an SMTP server (rows only).
"""

from __future__ import annotations

import pytest

from destek.mail import ingest, outbox, tokens
from destek.mail.models import (
    Mailbox,
    MessageEnvelope,
    OutboundEmail,
    OutboundKind,
    OutboundStatus,
    Participant,
)
from destek.tickets import actions
from tests.mail.inbound import ADDRESS, build_mail, fixture, make_mailbox

CUSTOMER = "zeynep.kaya@musteri.test"


def receive(mailbox: Mailbox, raw: bytes):
    inbound = ingest.receive_and_process(mailbox, raw, source="pipe")
    assert inbound.error == ""
    return inbound


def acks(ticket=None):
    rows = OutboundEmail.objects.filter(kind=OutboundKind.ACKNOWLEDGEMENT)
    return rows.filter(ticket=ticket) if ticket else rows


@pytest.fixture
def mailbox(workspace) -> Mailbox:
    return make_mailbox(workspace, display_name="Anadolu Kahve Destek")


# --- Replies ----------------------------------------------------------------------------------


def test_a_reply_goes_out_from_the_mailbox_the_ticket_came_in_through(workspace, agent, mailbox):
    make_mailbox(workspace, "info@anadolukahve.com.tr")
    other = make_mailbox(workspace, "bilgi@anadolukahve.com.tr")
    ticket = receive(other, build_mail(to=other.address)).ticket
    message = actions.reply(ticket=ticket, actor=agent, text="Yanıt")
    outbound = OutboundEmail.objects.get(ticket_message=message)
    assert outbound.mailbox == other
    assert outbound.message_id.endswith("@anadolukahve.com.tr")


def test_a_reply_on_a_phone_ticket_goes_out_from_the_first_active_mailbox(workspace, agent, ticket):
    Mailbox.objects.create(workspace=workspace, address="eski@anadolu.test", is_active=False)
    active = make_mailbox(workspace, "destek@anadolu.test")
    message = actions.reply(ticket=ticket, actor=agent, text="Aradığınız için teşekkürler.")
    outbound = OutboundEmail.objects.get(ticket_message=message)
    assert (outbound.mailbox, outbound.to, outbound.in_reply_to) == (
        active,
        ["zeynep.kaya@musteri.test"],
        "",
    )
    assert outbound.subject == f"Re: [{ticket.code}] Kredi kartıyla ödeme alamıyorum"


def test_a_reply_is_written_with_its_envelope_for_threading(workspace, agent, mailbox):
    ticket = receive(mailbox, build_mail(references="<a@x.test> <b@x.test>")).ticket
    message = actions.reply(ticket=ticket, actor=agent, text="Yanıt")
    outbound = OutboundEmail.objects.get(ticket_message=message)
    envelope = MessageEnvelope.objects.get(ticket_message=message)
    assert outbound.kind == OutboundKind.REPLY and outbound.status == OutboundStatus.QUEUED
    assert outbound.in_reply_to == "siparis.1@musteri.test"
    assert outbound.references == "a@x.test b@x.test siparis.1@musteri.test"
    assert (envelope.message_id, envelope.in_reply_to, envelope.references) == (
        outbound.message_id,
        outbound.in_reply_to,
        outbound.references,
    )
    assert (envelope.mailbox, envelope.from_address, envelope.inbound) == (mailbox, ADDRESS, None)
    assert tokens.ticket_of_message_id(outbound.message_id) == (workspace.pk, ticket.pk)


def test_a_reply_answers_the_customers_latest_mail(workspace, agent, mailbox):
    ticket = receive(mailbox, build_mail()).ticket
    actions.reply(ticket=ticket, actor=agent, text="İlk yanıt")
    receive(
        mailbox,
        build_mail(
            subject=f"Re: [{ticket.code}] Siparişim",
            message_id="<ikinci@musteri.test>",
            in_reply_to="<siparis.1@musteri.test>",
            references="<siparis.1@musteri.test>",
        ),
    )
    message = actions.reply(ticket=ticket, actor=agent, text="İkinci yanıt")
    outbound = OutboundEmail.objects.get(ticket_message=message)
    assert outbound.in_reply_to == "ikinci@musteri.test"
    assert outbound.references == "siparis.1@musteri.test ikinci@musteri.test"
    assert outbound.subject == f"Re: [{ticket.code}] Siparişim hâlâ gelmedi"


def test_references_keep_the_root_and_the_nearest_ids(workspace, agent, mailbox):
    chain = " ".join(f"<r{i}@x.test>" for i in range(40))
    ticket = receive(mailbox, build_mail(references=chain)).ticket
    outbound = OutboundEmail.objects.get(
        ticket_message=actions.reply(ticket=ticket, actor=agent, text="Yanıt")
    )
    ids = outbound.references.split()
    assert len(ids) == 20
    assert ids[0] == "r0@x.test" and ids[-2:] == ["r39@x.test", "siparis.1@musteri.test"]


def test_participants_get_the_reply_in_cc_but_never_our_own_address(workspace, agent, mailbox):
    raw = build_mail(cc="Ali <ali@musteri.test>, Destek <destek@anadolukahve.com.tr>")
    ticket = receive(mailbox, raw).ticket
    Participant.objects.create(workspace=workspace, ticket=ticket, email=CUSTOMER)
    outbound = OutboundEmail.objects.get(
        ticket_message=actions.reply(ticket=ticket, actor=agent, text="Yanıt")
    )
    assert (outbound.to, outbound.cc) == ([CUSTOMER], ["ali@musteri.test"])


def test_the_reply_goes_to_the_reply_to_address_of_a_contact_form(workspace, agent, mailbox):
    ticket = receive(mailbox, fixture("contact-form-reply-to-customer.eml")).ticket
    outbound = OutboundEmail.objects.get(
        ticket_message=actions.reply(ticket=ticket, actor=agent, text="Yanıt")
    )
    assert outbound.to == ["hakan.celik@ornek-market.com.tr"]


def test_a_reply_that_fails_to_queue_rolls_back_with_the_reply(
    workspace, agent, mailbox, monkeypatch
):
    ticket = receive(mailbox, build_mail()).ticket
    before = ticket.messages.count()
    OutboundEmail.objects.create(  # the next Message-ID is taken: the outbox insert fails
        workspace=workspace, kind=OutboundKind.REPLY, to=[], subject="x", message_id="taken"
    )
    monkeypatch.setattr(tokens, "make_message_id", lambda **kwargs: "taken")
    with pytest.raises(Exception, match="UNIQUE|unique|duplicate"):
        actions.reply(ticket=ticket, actor=agent, text="Yanıt")
    assert ticket.messages.count() == before


# --- Acknowledgements -------------------------------------------------------------------------


def test_a_new_emailed_ticket_gets_the_turkish_acknowledgement(workspace, mailbox):
    ticket = receive(mailbox, build_mail()).ticket
    [ack] = acks(ticket)
    assert ack.to == [CUSTOMER] and ack.cc == []
    assert ack.subject == f"Re: [{ticket.code}] Siparişim hâlâ gelmedi"
    assert ack.body == (
        "Merhaba Zeynep Kaya,\n\n"
        f"Talebiniz alındı, takip kodunuz {ticket.code}. En kısa sürede size dönüş yapacağız.\n\n"
        "Bu e-postayı yanıtlayarak talebinize ekleme yapabilirsiniz."
    )
    assert ack.in_reply_to == "siparis.1@musteri.test"
    assert tokens.ticket_of_message_id(ack.message_id) == (workspace.pk, ticket.pk)
    assert ack.status == OutboundStatus.QUEUED  # no SMTP settings: it waits, visible


def test_the_acknowledgement_text_is_the_mailboxs_own_with_variables(workspace, mailbox):
    mailbox.acknowledgement_subject = "Talebiniz alındı: {{ ticket.subject }}"
    mailbox.acknowledgement_body = (
        "Sayın {{ customer.name }}, {{ ticket.code }} kodlu talebiniz kayıtlı. {{ agent.name }}"
    )
    mailbox.save()
    ticket = receive(mailbox, build_mail()).ticket
    [ack] = acks(ticket)
    assert ack.subject == f"[{ticket.code}] Talebiniz alındı: Siparişim hâlâ gelmedi"
    assert (
        ack.body
        == f"Sayın Zeynep Kaya, {ticket.code} kodlu talebiniz kayıtlı. {{{{ agent.name }}}}"
    )


def test_no_acknowledgement_when_the_mailbox_has_it_switched_off(workspace, mailbox):
    mailbox.acknowledge = False
    mailbox.save()
    receive(mailbox, build_mail())
    assert not acks().exists()


def test_an_answer_on_an_existing_ticket_is_not_acknowledged(workspace, mailbox):
    ticket = receive(mailbox, build_mail()).ticket
    answer = build_mail(message_id="<iki@musteri.test>", in_reply_to="<siparis.1@musteri.test>")
    assert receive(mailbox, answer).ticket == ticket
    assert acks().count() == 1


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(fixture("auto-reply-out-of-office.eml"), id="auto-reply"),
        pytest.param(fixture("mailing-list-bulk.eml"), id="list"),
        pytest.param(build_mail(headers={"Precedence": "bulk"}), id="bulk"),
        pytest.param(build_mail(sender="noreply@kargo.test"), id="no-reply"),
        pytest.param(build_mail(sender="postmaster@musteri.test"), id="postmaster"),
    ],
)
def test_machines_get_no_acknowledgement(workspace, mailbox, raw):
    inbound = receive(mailbox, raw)
    assert inbound.ticket is not None  # still a ticket: a person may need to look
    assert not acks().exists()


def test_our_own_other_mailbox_gets_no_acknowledgement(workspace, mailbox):
    make_mailbox(workspace, "satis@anadolukahve.com.tr")
    receive(mailbox, build_mail(sender="Satış <satis@anadolukahve.com.tr>"))
    assert not acks().exists()


def test_a_contact_form_from_no_reply_is_acknowledged_to_the_customer(workspace, mailbox):
    receive(mailbox, fixture("contact-form-reply-to-customer.eml"))
    assert acks().get().to == ["hakan.celik@ornek-market.com.tr"]


def test_a_sender_gets_at_most_three_acknowledgements_an_hour(workspace, mailbox):
    for number in range(5):
        raw = build_mail(subject=f"Soru {number}", message_id=f"<soru.{number}@musteri.test>")
        receive(mailbox, raw)
    assert acks().count() == 3
    receive(mailbox, build_mail(sender="ali@musteri.test", message_id="<ali@musteri.test>"))
    assert acks().count() == 4


# --- Bounces ----------------------------------------------------------------------------------


def _bounce(message_id: str, *, action: str = "failed", part: str = "message/rfc822") -> bytes:
    return f"""Return-Path: <>
From: MAILER-DAEMON@mx.anadolukahve.com.tr (Mail Delivery System)
To: {ADDRESS}
Subject: Undelivered Mail Returned to Sender
Date: Tue, 19 Mar 2024 08:00:05 +0300
Message-ID: <bounce.{action}.{part.replace("/", "-")}@mx.anadolukahve.com.tr>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.anadolukahve.com.tr

Final-Recipient: rfc822; yanlis.adres@musteri.com.tr
Action: {action}
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--B
Content-Type: {part}

From: Anadolu Kahve Destek <{ADDRESS}>
To: yanlis.adres@musteri.com.tr
Subject: Re: Sipariş
Message-ID: <{message_id}>

--B--
""".encode()


@pytest.fixture
def sent_reply(workspace, agent, mailbox) -> OutboundEmail:
    ticket = receive(mailbox, build_mail()).ticket
    message = actions.reply(ticket=ticket, actor=agent, text="Yanıt")
    outbound = OutboundEmail.objects.get(ticket_message=message)
    OutboundEmail.objects.filter(pk=outbound.pk).update(status=OutboundStatus.SENT)
    return outbound


@pytest.mark.parametrize("part", ["message/rfc822", "text/rfc822-headers"])
def test_a_bounce_marks_the_reply_it_returns_failed(mailbox, sent_reply, part):
    inbound = receive(mailbox, _bounce(sent_reply.message_id, part=part))
    sent_reply.refresh_from_db()
    assert sent_reply.status == OutboundStatus.FAILED
    assert sent_reply.last_error == (
        "Geri döndü: yanlis.adres@musteri.com.tr 5.1.1 550 5.1.1 User unknown"
    )
    assert inbound.ticket is None and inbound.status == "ignored"


def test_a_delay_notice_leaves_the_reply_alone(mailbox, sent_reply):
    receive(mailbox, _bounce(sent_reply.message_id, action="delayed"))
    sent_reply.refresh_from_db()
    assert sent_reply.status == OutboundStatus.SENT


def test_a_bounce_about_mail_we_never_sent_changes_nothing(mailbox, sent_reply):
    assert outbox.mark_bounced(mailbox=mailbox, parsed=_parsed(_bounce("x@elsewhere.test"))) is None
    sent_reply.refresh_from_db()
    assert sent_reply.status == OutboundStatus.SENT


def test_a_bounce_in_another_workspace_cannot_fail_our_mail(other_workspace, sent_reply):
    theirs = make_mailbox(other_workspace, "destek@baska.test")
    assert (
        outbox.mark_bounced(mailbox=theirs, parsed=_parsed(_bounce(sent_reply.message_id))) is None
    )


def test_a_bounced_acknowledgement_is_failed_too(workspace, mailbox):
    ticket = receive(mailbox, build_mail()).ticket
    ack = acks(ticket).get()
    failed = outbox.mark_bounced(mailbox=mailbox, parsed=_parsed(_bounce(ack.message_id)))
    assert failed == ack and failed.status == OutboundStatus.FAILED


def _parsed(raw: bytes):
    from destek.mail.parse import parse_email

    return parse_email(raw)
