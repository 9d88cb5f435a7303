"""Store, then process (DESIGN §5): raw mail in, tickets out, nothing lost or doubled."""

from __future__ import annotations

import hashlib
import logging
import threading

import pytest
from django.core.cache import cache
from django.db import connection

from destek.mail import ingest
from destek.mail.models import (
    IgnoredReason,
    InboundEmail,
    InboundStatus,
    MessageEnvelope,
    OutboundEmail,
    OutboundKind,
    OutboundStatus,
    Participant,
)
from destek.mail.parse import parse_email
from destek.mail.tokens import make_body_token, make_message_id
from destek.tickets import actions
from destek.tickets.actions import ActionError
from destek.tickets.models import Customer, Message, Ticket
from destek.tickets.status import Status

from .inbound import ADDRESS, build_mail, fixture, make_mailbox, with_received

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the acknowledgement rate limit counts per sender in the cache


@pytest.fixture
def mailbox(workspace):
    return make_mailbox(workspace)


def deliver(mailbox, raw: bytes) -> InboundEmail:
    inbound = ingest.receive_and_process(mailbox, raw, source="pipe")
    inbound.refresh_from_db()
    return inbound


# --- New tickets from real-world Turkish mail ------------------------------------------------


def test_a_latin5_mail_becomes_a_ticket_with_its_subject_sender_and_body(workspace, mailbox):
    raw = fixture("iso-8859-9-subject-and-body.eml")
    inbound = deliver(mailbox, raw)
    parsed = parse_email(raw)
    assert (inbound.status, inbound.error, inbound.reason) == (InboundStatus.PROCESSED, "", "")
    assert bytes(inbound.raw) == raw
    ticket = inbound.ticket
    assert (ticket.code, ticket.subject, ticket.status) == ("DST-1", parsed.subject, Status.NEW)
    assert ticket.customer.email == parsed.from_email
    assert ticket.customer.name == parsed.from_name
    message = inbound.ticket_message
    assert (message.ticket, message.kind, message.text) == (ticket, "customer", parsed.text)
    assert inbound.message_id == parsed.message_id


def test_the_envelope_keeps_the_addresses_and_ids(workspace, mailbox):
    raw = fixture("reply-gmail-turkish-quote.eml")
    inbound = deliver(mailbox, raw)
    envelope = MessageEnvelope.objects.get(ticket_message=inbound.ticket_message)
    assert envelope.mailbox == mailbox and envelope.inbound == inbound
    assert (envelope.from_name, envelope.from_address) == ("Çağrı Öztürk", "cagri.ozturk@gmail.com")
    assert envelope.to == ["destek@anadolukahve.com.tr"]
    assert (envelope.cc, envelope.reply_to) == ([], [])
    assert envelope.subject == "Re: [DST-1042] Sipariş iptali"
    assert envelope.message_id == "CAGmail+reply=42@mail.gmail.com"
    assert envelope.in_reply_to == "dst-1042.a1b2c3@anadolukahve.com.tr"
    assert envelope.references == (
        "20240312091500.4411@ornek.com.tr dst-1042.a1b2c3@anadolukahve.com.tr"
    )


def test_only_the_new_part_of_a_reply_is_visible(workspace, mailbox):
    message = deliver(mailbox, fixture("reply-gmail-turkish-quote.eml")).ticket_message
    assert (
        message.visible_text == "Teşekkürler, iade tutarı hesabıma geçti.\nİyi çalışmalar.\n\nÇağrı"
    )
    assert "şunu yazdı:" in message.text
    plain = deliver(mailbox, fixture("iso-8859-9-subject-and-body.eml")).ticket_message
    assert plain.visible_text == ""  # nothing folded away: the whole text shows


def test_a_quoted_code_from_a_new_sender_does_not_stay_in_the_new_subject(workspace, mailbox):
    ticket = deliver(mailbox, fixture("reply-gmail-turkish-quote.eml")).ticket
    assert ticket.subject == "Re: Sipariş iptali"


def test_attachments_are_stored_with_their_exact_bytes(workspace, mailbox):
    raw = fixture("cc-colleague-and-invoice-pdf.eml")
    message = deliver(mailbox, raw).ticket_message
    (expected,) = parse_email(raw).attachments
    (stored,) = message.attachments.all()
    assert (stored.filename, stored.content_type, stored.inline) == (
        "fatura-2024-0311.pdf",
        "application/pdf",
        False,
    )
    data = stored.file.read()
    assert data == expected.data and data.startswith(b"%PDF-1.4")
    assert (stored.size, stored.sha256) == (len(data), hashlib.sha256(data).hexdigest())


def test_inline_images_keep_their_content_id_and_the_html_is_sanitised(workspace, mailbox):
    message = deliver(mailbox, fixture("inline-image-cid.eml")).ticket_message
    images = {a.filename: (a.inline, a.content_id) for a in message.attachments.all()}
    assert images == {
        "ekran.png": (True, "ekran-1@musteri.com.tr"),
        "logo.png": (False, "logo@musteri.com.tr"),
    }
    assert "<p>Sepette ödeme adımında bu hatayı alıyorum:</p>" in message.html
    assert "<html" not in message.html


def test_a_turkish_rfc2231_filename_comes_through(workspace, mailbox):
    message = deliver(mailbox, fixture("rfc2231-turkish-filename.eml")).ticket_message
    names = [a.filename for a in message.attachments.all()]
    assert names == [
        a.filename for a in parse_email(fixture("rfc2231-turkish-filename.eml")).attachments
    ]
    assert any("ş" in name or "ı" in name or "ğ" in name for name in names)


def test_reply_to_is_the_customer_and_from_stays_the_author(workspace, mailbox):
    inbound = deliver(mailbox, fixture("contact-form-reply-to-customer.eml"))
    customer = inbound.ticket.customer
    assert (customer.email, customer.name) == ("hakan.celik@ornek-market.com.tr", "Hakan Çelik")
    envelope = inbound.ticket_message.envelope
    assert envelope.from_address == "no-reply@anadolukahve.com.tr"
    assert envelope.reply_to == ["hakan.celik@ornek-market.com.tr"]


def test_cc_people_become_participants_but_not_our_own_addresses(workspace, mailbox):
    make_mailbox(workspace, "satis@anadolukahve.com.tr")
    ticket = deliver(mailbox, fixture("cc-colleague-and-invoice-pdf.eml")).ticket
    assert list(Participant.objects.filter(ticket=ticket).values_list("email", "name")) == [
        ("murat.kaya@kaya-insaat.com.tr", "Murat Kaya")
    ]


def test_a_mail_without_subject_gets_a_placeholder(workspace, mailbox):
    ticket = deliver(mailbox, build_mail(subject="")).ticket
    assert ticket.subject == "(Konusuz)"


# --- Threading on the way in -----------------------------------------------------------------


def test_a_reply_joins_its_ticket_and_a_pending_ticket_opens_again(workspace, mailbox, agent):
    first = deliver(mailbox, build_mail())
    ticket = first.ticket
    actions.reply(ticket=ticket, actor=agent, text="Kargoya verildi.", status=Status.PENDING)
    reply = build_mail(
        subject=f"Re: [{ticket.code}] Siparişim hâlâ gelmedi",
        text="Teşekkürler, takip numarası nedir?\n",
        message_id="<cevap.2@musteri.test>",
        in_reply_to="<siparis.1@musteri.test>",
    )
    second = deliver(mailbox, reply)
    assert second.ticket == ticket
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.messages.filter(kind="customer").count() == 2


def test_a_reply_to_a_closed_ticket_opens_a_linked_follow_up_once(workspace, mailbox):
    ticket = deliver(mailbox, build_mail()).ticket
    actions.change_status(ticket=ticket, actor=None, status=Status.CLOSED)
    signed = make_message_id(workspace_id=workspace.pk, ticket_id=ticket.pk, domain="x.test")
    again = deliver(mailbox, build_mail(message_id="<r1@musteri.test>", in_reply_to=f"<{signed}>"))
    follow_up = again.ticket
    assert follow_up != ticket and follow_up.follow_up_of == ticket
    assert follow_up.subject == ticket.subject
    third = deliver(
        mailbox,
        build_mail(message_id="<r2@musteri.test>", in_reply_to=f"<{signed}>", text="Bir şey daha"),
    )
    assert third.ticket == follow_up
    assert Ticket.objects.count() == 2


def test_a_body_token_threads_when_the_provider_rewrote_the_ids(workspace, mailbox):
    ticket = deliver(mailbox, build_mail()).ticket
    token = make_body_token(workspace_id=workspace.pk, ticket_id=ticket.pk)
    raw = build_mail(
        message_id="<yeniden.yazildi@outlook.test>",
        in_reply_to="<AM0PR01MB@outlook.test>",
        text=f"Tamam.\n\n-----Orijinal İleti-----\nKimden: Destek\n\n{token}\n",
    )
    assert deliver(mailbox, raw).ticket == ticket


def test_a_stranger_quoting_a_code_opens_a_new_ticket(workspace, mailbox):
    ticket = deliver(mailbox, build_mail()).ticket
    raw = build_mail(
        subject=f"[{ticket.code}] Bu talebe yazıyorum",
        sender="Yabancı <yabanci@baska.test>",
        message_id="<yabanci.1@baska.test>",
    )
    other = deliver(mailbox, raw).ticket
    assert other != ticket
    assert other.subject == "Bu talebe yazıyorum"
    assert ticket.messages.count() == 1


# --- Duplicates ------------------------------------------------------------------------------


def test_the_same_bytes_twice_are_stored_and_processed_once(workspace, mailbox):
    raw = build_mail()
    first = deliver(mailbox, raw)
    second = deliver(mailbox, raw)
    assert second.pk == first.pk
    assert InboundEmail.objects.count() == 1
    assert Message.objects.count() == 1


def test_a_redelivery_with_other_received_headers_joins_once(workspace, mailbox):
    raw = build_mail()
    first = deliver(mailbox, with_received(raw, "mx1.example.net"))
    second = deliver(mailbox, with_received(raw, "mx2.example.net"))
    assert second.pk != first.pk
    assert (second.status, second.reason) == (InboundStatus.IGNORED, IgnoredReason.DUPLICATE)
    assert (second.ticket, second.ticket_message) == (first.ticket, first.ticket_message)
    assert Message.objects.count() == 1


def test_the_same_mail_to_two_of_our_mailboxes_makes_one_ticket(workspace, mailbox):
    sales = make_mailbox(workspace, "satis@anadolukahve.com.tr")
    raw = build_mail(to=f"{ADDRESS}, satis@anadolukahve.com.tr")
    deliver(mailbox, raw)
    assert deliver(sales, raw).reason == IgnoredReason.DUPLICATE
    assert Ticket.objects.count() == 1


def test_a_reused_message_id_with_other_content_is_a_new_message(workspace, mailbox):
    deliver(mailbox, build_mail(message_id="<sabit@eski-yazilim.test>"))
    second = deliver(mailbox, build_mail(message_id="<sabit@eski-yazilim.test>", text="Başka"))
    assert second.status == InboundStatus.PROCESSED
    assert Message.objects.count() == 2


def test_processing_twice_changes_nothing(workspace, mailbox):
    inbound = deliver(mailbox, build_mail())
    ingest.process(inbound)
    inbound.refresh_from_db()
    assert (inbound.status, inbound.attempts) == (InboundStatus.PROCESSED, 1)
    assert Message.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_copies_processed_at_the_same_moment_make_one_message(workspace):
    mailbox = make_mailbox(workspace)
    raw = build_mail()
    copies = [
        ingest.receive(mailbox, with_received(raw, f"mx{n}.example.net"), source="pipe")
        for n in range(4)
    ]
    start = threading.Barrier(len(copies))

    def work(inbound: InboundEmail) -> None:
        try:
            start.wait()
            ingest.process(inbound)
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(copy,)) for copy in copies]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    statuses = sorted(InboundEmail.objects.values_list("status", "reason"))
    assert statuses == [("ignored", "duplicate")] * 3 + [("processed", "")]
    assert Message.objects.count() == 1


def test_the_same_imap_uid_is_one_row(workspace, mailbox):
    first = ingest.receive(mailbox, build_mail(), source="imap", uidvalidity=7, uid=42)
    again = ingest.receive(
        mailbox, build_mail(text="değişmiş"), source="imap", uidvalidity=7, uid=42
    )
    assert again.pk == first.pk
    other_folder_state = ingest.receive(
        mailbox, build_mail(text="yeni"), source="imap", uidvalidity=8, uid=42
    )
    assert other_folder_state.pk != first.pk


# --- Mail that is no customer message --------------------------------------------------------


def test_a_bounce_is_never_a_ticket(workspace, mailbox):
    inbound = deliver(mailbox, fixture("bounce-dsn.eml"))
    assert (inbound.status, inbound.reason) == (InboundStatus.IGNORED, IgnoredReason.BOUNCE)
    assert inbound.ticket is None
    assert Ticket.objects.count() == 0


def test_a_bounce_marks_the_mail_it_returns_failed(workspace, mailbox, agent):
    ticket = deliver(mailbox, build_mail()).ticket
    actions.reply(ticket=ticket, actor=agent, text="Kargoya verildi.")
    sent = OutboundEmail.objects.get(kind=OutboundKind.REPLY)
    dsn = fixture("bounce-dsn.eml").replace(
        b"<dst-1044.99aa@anadolukahve.com.tr>", f"<{sent.message_id}>".encode()
    )
    assert f"<{sent.message_id}>".encode() in dsn
    deliver(mailbox, dsn)
    sent.refresh_from_db()
    assert sent.status == OutboundStatus.FAILED
    assert Ticket.objects.count() == 1


def test_a_mailbox_limited_to_its_address_ignores_other_mail(workspace):
    mailbox = make_mailbox(workspace, only_addressed=True)
    ignored = deliver(mailbox, build_mail(to="liste@dernek.test"))
    assert (ignored.status, ignored.reason) == (InboundStatus.IGNORED, IgnoredReason.NOT_ADDRESSED)
    kept = deliver(mailbox, build_mail(to="liste@dernek.test", cc=ADDRESS.upper(), text="cc"))
    assert kept.status == InboundStatus.PROCESSED


def test_mail_from_our_own_address_makes_no_ticket(workspace, mailbox):
    inbound = deliver(mailbox, build_mail(sender=f"Destek <{ADDRESS}>", to=ADDRESS))
    assert (inbound.status, inbound.reason) == (InboundStatus.IGNORED, IgnoredReason.LOOP)
    assert Ticket.objects.count() == 0


def test_our_own_sent_mail_coming_back_makes_no_ticket(workspace, mailbox, ticket):
    signed = make_message_id(workspace_id=workspace.pk, ticket_id=ticket.pk, domain="x.test")
    inbound = deliver(mailbox, build_mail(message_id=f"<{signed}>", sender="a@b.test"))
    assert inbound.reason == IgnoredReason.LOOP
    assert ticket.messages.count() == 1


# --- Acknowledgements ------------------------------------------------------------------------


def test_a_new_ticket_is_acknowledged_a_reply_is_not(workspace, mailbox):
    ticket = deliver(mailbox, build_mail()).ticket
    ack = OutboundEmail.objects.get()
    assert (ack.kind, ack.ticket, ack.to) == (
        OutboundKind.ACKNOWLEDGEMENT,
        ticket,
        ["zeynep.kaya@musteri.test"],
    )
    assert ack.in_reply_to == "siparis.1@musteri.test"
    assert ticket.code in ack.subject
    deliver(
        mailbox, build_mail(message_id="<2@musteri.test>", in_reply_to="<siparis.1@musteri.test>")
    )
    assert OutboundEmail.objects.count() == 1


def test_an_out_of_office_reply_gets_no_acknowledgement(workspace, mailbox):
    inbound = deliver(mailbox, fixture("auto-reply-out-of-office.eml"))
    assert inbound.status == InboundStatus.PROCESSED
    assert not OutboundEmail.objects.exists()


# --- Quarantine, retry, "create ticket anyway" -----------------------------------------------


def test_broken_mime_still_becomes_a_ticket(workspace, mailbox):
    inbound = deliver(mailbox, fixture("broken-multipart-missing-boundary.eml"))
    assert inbound.status == InboundStatus.PROCESSED
    assert inbound.ticket.subject == "Kargo gecikmesi hakkında"
    assert "siparişim 10 gündür kargoda" in inbound.ticket_message.text


def test_mail_without_a_sender_is_quarantined_with_its_raw_bytes(workspace, mailbox):
    raw = fixture("no-sender-address.eml")
    inbound = deliver(mailbox, raw)
    assert (inbound.status, inbound.error) == (
        InboundStatus.QUARANTINED,
        "İletide gönderen adresi yok.",
    )
    assert (bytes(inbound.raw), inbound.attempts) == (raw, 1)
    ingest.process(inbound)  # the retry button
    inbound.refresh_from_db()
    assert (inbound.status, inbound.attempts) == (InboundStatus.QUARANTINED, 2)


def test_an_empty_message_is_stored_and_quarantined(workspace, mailbox):
    inbound = deliver(mailbox, b"\r\n\r\n")
    assert (inbound.status, inbound.error) == (InboundStatus.QUARANTINED, "İleti boş.")


def test_create_ticket_anyway_from_quarantine(workspace, mailbox, admin):
    inbound = deliver(mailbox, fixture("no-sender-address.eml"))
    ticket = ingest.force_ticket(inbound, actor=admin)
    inbound.refresh_from_db()
    assert (inbound.status, inbound.ticket) == (InboundStatus.PROCESSED, ticket)
    assert ticket.subject == "Göndereni belli olmayan ileti"
    assert ticket.customer.email == ingest.UNKNOWN_SENDER
    assert not OutboundEmail.objects.exists()
    assert ingest.force_ticket(inbound, actor=admin) == ticket  # a second click changes nothing


def test_create_ticket_anyway_for_ignored_mail(workspace, admin):
    mailbox = make_mailbox(workspace, only_addressed=True)
    inbound = deliver(mailbox, build_mail(to="liste@dernek.test"))
    ticket = ingest.force_ticket(inbound, actor=admin)
    assert ticket.customer.email == "zeynep.kaya@musteri.test"


def test_create_ticket_anyway_refuses_an_empty_message(workspace, mailbox, admin):
    inbound = deliver(mailbox, b" \n")
    with pytest.raises(ActionError):
        ingest.force_ticket(inbound, actor=admin)


# --- Costs and privacy -----------------------------------------------------------------------


def test_the_query_count_does_not_grow_with_cc_people_or_references(
    workspace, mailbox, django_assert_max_num_queries
):
    deliver(mailbox, build_mail(message_id="<isinma@musteri.test>"))  # the customer exists now

    def count(**mail) -> int:
        with django_assert_max_num_queries(40) as context:
            ingest.receive_and_process(mailbox, build_mail(**mail), source="pipe")
        return len(context)

    few = count(message_id="<az@x.test>", cc="Ali <ali@x.test>", references="<r@x.test>")
    many = count(
        message_id="<cok@x.test>",
        cc=", ".join(f"kisi{n}@x.test" for n in range(8)),
        references=" ".join(f"<r{n}@x.test>" for n in range(300)),
    )
    assert many == few


def test_logs_name_no_address_subject_or_body(workspace, mailbox, caplog):
    caplog.set_level(logging.DEBUG)
    deliver(mailbox, build_mail())
    deliver(mailbox, fixture("no-sender-address.eml"))
    logged = caplog.text
    assert "inbound" in logged
    for secret in ("zeynep", "musteri.test", "Siparişim", "sipariş", "Göndereni"):
        assert secret not in logged


def test_customers_are_found_again_by_address(workspace, mailbox):
    deliver(mailbox, build_mail(sender="ZEYNEP.KAYA@musteri.test", message_id="<a@x.test>"))
    deliver(mailbox, build_mail(message_id="<b@x.test>", text="ikinci"))
    assert Customer.objects.count() == 1
