"""Threading (DESIGN §5): which ticket a mail joins, rule by rule, and subject tags."""

from __future__ import annotations

import pytest

from destek.mail.models import MessageEnvelope, Participant
from destek.mail.parse import parse_email
from destek.mail.threading import (
    ThreadRule,
    candidate_ids,
    customer_address,
    display_subject,
    find_ticket,
    strip_codes,
    subject_with_code,
)
from destek.mail.tokens import make_body_token, make_message_id
from destek.tickets import actions
from destek.tickets.status import Status

from .inbound import build_mail

pytestmark = pytest.mark.django_db

STRANGER = "Yabancı <yabanci@baska-firma.test>"


def signed_id(ticket) -> str:
    return make_message_id(
        workspace_id=ticket.workspace_id, ticket_id=ticket.pk, domain="anadolukahve.com.tr"
    )


def thread(workspace, **mail):
    return find_ticket(workspace, parse_email(build_mail(**mail)))


def test_reply_to_a_signed_message_id_joins_its_ticket(workspace, ticket):
    match = thread(workspace, in_reply_to=f"<{signed_id(ticket)}>")
    assert (match.ticket, match.rule) == (ticket, ThreadRule.MESSAGE_ID)


def test_a_match_anywhere_in_references_counts_not_only_the_last(workspace, ticket):
    references = f"<{signed_id(ticket)}> <ara.1@musteri.test> <ara.2@musteri.test>"
    match = thread(workspace, references=references)
    assert (match.ticket, match.rule) == (ticket, ThreadRule.MESSAGE_ID)


def test_a_message_id_received_for_a_ticket_threads_the_reply(workspace, ticket):
    MessageEnvelope.objects.create(
        workspace=workspace,
        ticket=ticket,
        ticket_message=ticket.messages.get(),
        message_id="ilk.mesaj@musteri.test",
    )
    match = thread(workspace, references="<baska@x.test> <ilk.mesaj@musteri.test>")
    assert (match.ticket, match.rule) == (ticket, ThreadRule.MESSAGE_ID)


def test_the_nearest_id_wins_when_references_name_two_tickets(workspace, ticket, customer):
    newer = actions.create_ticket(workspace=workspace, customer=customer, subject="B", text="b")
    references = f"<{signed_id(ticket)}> <{signed_id(newer)}>"
    assert thread(workspace, references=references).ticket == newer
    in_reply_to = f"<{signed_id(ticket)}>"
    assert thread(workspace, references=references, in_reply_to=in_reply_to).ticket == ticket


def test_a_forged_message_id_is_ignored(workspace, ticket):
    forged = signed_id(ticket).replace(f".{ticket.pk}.", f".{ticket.pk + 1}.", 1)
    other = actions.create_ticket(
        workspace=workspace, customer=ticket.customer, subject="Başka", text="x"
    )
    assert other.pk == ticket.pk + 1
    match = thread(workspace, in_reply_to=f"<{forged}>", subject="Re: Başka")
    assert (match.ticket, match.rule) == (None, ThreadRule.NEW)


def test_a_signed_id_of_another_workspace_is_ignored(workspace, other_workspace):
    customer = actions.get_or_create_customer(workspace=other_workspace, email="a@b.test")
    theirs = actions.create_ticket(
        workspace=other_workspace, customer=customer, subject="Onların", text="x"
    )
    match = thread(workspace, in_reply_to=f"<{signed_id(theirs)}>")
    assert match.ticket is None


def test_a_rewritten_message_id_still_threads_by_the_body_token(workspace, ticket):
    token = make_body_token(workspace_id=workspace.pk, ticket_id=ticket.pk)
    text = (
        "Tamam, teşekkürler.\n\n"
        "18 Mar 2024 Pzt, 10:05 tarihinde Destek <destek@anadolukahve.com.tr> şunu yazdı:\n"
        f"> Siparişiniz kargoda.\n> {token}\n"
    )
    match = thread(workspace, in_reply_to="<REWRITTEN-BY-PROVIDER@outlook.test>", text=text)
    assert (match.ticket, match.rule) == (ticket, ThreadRule.BODY_TOKEN)


def test_a_forged_body_token_is_ignored(workspace, ticket):
    token = make_body_token(workspace_id=workspace.pk, ticket_id=ticket.pk)
    forged = token.replace(f"-{ticket.pk}-", f"-{ticket.pk + 7}-")
    assert thread(workspace, text=f"> {forged}\n").ticket is None


def test_the_code_in_the_subject_threads_mail_from_the_customer(workspace, ticket):
    match = thread(workspace, subject=f"Re: [{ticket.code}] Ödeme", message_id="<yeni@x.test>")
    assert (match.ticket, match.rule) == (ticket, ThreadRule.CODE)


def test_the_code_threads_mail_from_a_participant(workspace, ticket):
    Participant.objects.create(workspace=workspace, ticket=ticket, email="ali@musteri.test")
    match = thread(workspace, subject=f"[{ticket.code}]", sender="Ali <ALI@musteri.test>")
    assert (match.ticket, match.rule) == (ticket, ThreadRule.CODE)


def test_a_stranger_quoting_a_code_gets_a_new_ticket(workspace, ticket):
    match = thread(workspace, subject=f"Re: [{ticket.code}] Ödeme", sender=STRANGER)
    assert (match.ticket, match.rule) == (None, ThreadRule.NEW)


def test_a_stranger_cannot_hide_behind_from_with_another_reply_to(workspace, ticket):
    # From is the customer but Reply-To (where answers would go) is the stranger.
    match = thread(
        workspace,
        subject=f"[{ticket.code}]",
        sender="Zeynep Kaya <zeynep.kaya@musteri.test>",
        reply_to=STRANGER,
    )
    assert match.ticket is None


def test_reply_to_is_the_sender_when_a_form_relays_the_mail(workspace, ticket):
    match = thread(
        workspace,
        subject=f"[{ticket.code}] iletişim formu",
        sender="Web Formu <no-reply@anadolukahve.com.tr>",
        reply_to="Zeynep Kaya <zeynep.kaya@musteri.test>",
    )
    assert match.ticket == ticket


def test_a_code_of_another_prefix_does_not_thread(workspace, ticket):
    assert thread(workspace, subject=f"[BSK-{ticket.number}] Ödeme").ticket is None


def test_a_reply_to_a_closed_ticket_with_a_follow_up_joins_the_follow_up(workspace, ticket):
    actions.change_status(ticket=ticket, actor=None, status=Status.CLOSED)
    follow_up = actions.add_customer_message(
        ticket=ticket, customer=ticket.customer, text="Yine sorun var"
    ).ticket
    assert follow_up.follow_up_of == ticket
    match = thread(workspace, in_reply_to=f"<{signed_id(ticket)}>")
    assert match.ticket == follow_up


def test_a_reply_to_a_closed_ticket_without_follow_up_names_the_closed_ticket(workspace, ticket):
    actions.change_status(ticket=ticket, actor=None, status=Status.CLOSED)
    assert thread(workspace, in_reply_to=f"<{signed_id(ticket)}>").ticket == ticket


def test_threading_reads_a_bounded_number_of_ids(workspace, ticket, django_assert_max_num_queries):
    references = " ".join(f"<id.{n}@spam.test>" for n in range(5000))
    parsed = parse_email(build_mail(references=references))
    assert len(candidate_ids(parsed)) == 100
    assert candidate_ids(parsed)[0] == "id.4999@spam.test"
    with django_assert_max_num_queries(2):
        assert find_ticket(workspace, parsed).ticket is None


def test_an_answer_to_our_own_mail_is_threaded_with_one_query(
    workspace, ticket, django_assert_num_queries
):
    ours = signed_id(ticket)
    parsed = parse_email(
        build_mail(in_reply_to=f"<{ours}>", references=f"<ilk@musteri.test> <{ours}>")
    )
    with django_assert_num_queries(1):
        assert find_ticket(workspace, parsed).ticket == ticket


# --- Who the customer is -------------------------------------------------------------------


def test_customer_is_from_without_reply_to():
    parsed = parse_email(build_mail())
    assert customer_address(parsed) == ("Zeynep Kaya", "zeynep.kaya@musteri.test")


def test_customer_is_reply_to_when_it_differs_from_from():
    parsed = parse_email(
        build_mail(sender="Form <no-reply@site.test>", reply_to="Ali Veli <ali@musteri.test>")
    )
    assert customer_address(parsed) == ("Ali Veli", "ali@musteri.test")


def test_no_sender_at_all_is_none():
    parsed = parse_email(b"Subject: x\r\n\r\nmerhaba\r\n")
    assert customer_address(parsed) is None


# --- Subjects ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Re: [DST-1] [DST-1]", "Re: [DST-1]"),
        ("Re: [DST-1] [DST-1] Sipariş", "Re: [DST-1] Sipariş"),
        ("Re: Re: Sipariş [DST-1]", "Re: [DST-1] Sipariş"),
        ("[DST-1] Re: [dst-1] Sipariş", "Re: [DST-1] Sipariş"),
        ("YNT: [DST-1] İade", "YNT: [DST-1] İade"),
        ("Sipariş", "[DST-1] Sipariş"),
        ("", "[DST-1]"),
        ("[DST-12] Başka talep", "[DST-1] [DST-12] Başka talep"),
    ],
)
def test_subject_tags_never_stack(subject, expected):
    assert subject_with_code(subject, "DST-1") == expected
    assert subject_with_code(expected, "DST-1") == expected


def test_a_new_ticket_drops_quoted_codes_of_the_workspace():
    assert strip_codes("Re: [DST-5] [dst-5] Fatura  hatası", "DST") == "Re: Fatura hatası"
    assert strip_codes("[BSK-5] Fatura", "DST") == "[BSK-5] Fatura"


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Re: Fwd: Fatura", "Fatura"),
        ("YNT: İLT: Fatura", "Fatura"),
        ("AW: WG: Rechnung", "Rechnung"),
        ("Re:", "Re:"),
        ("Recep Bey'in siparişi", "Recep Bey'in siparişi"),
    ],
)
def test_display_subject_drops_reply_markers(subject, expected):
    assert display_subject(subject) == expected
