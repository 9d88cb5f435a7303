"""Merging a ticket into another and splitting a message out (tickets.actions.merge/split),
with the mail that arrives afterwards and the search index following along."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from destek.mail import ingest
from destek.mail.models import MessageEnvelope, Participant
from destek.mail.tokens import make_message_id
from destek.search.query import search
from destek.tickets import actions
from destek.tickets.actions import ActionError, FileData
from destek.tickets.models import EventKind, Ticket
from destek.tickets.status import Status
from tests.mail.inbound import build_mail, make_mailbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(workspace):
    cache.clear()
    return make_mailbox(workspace)


def deliver(mailbox, raw: bytes):
    inbound = ingest.receive_and_process(mailbox, raw, source="pipe")
    inbound.refresh_from_db()
    return inbound


@pytest.fixture
def pair(workspace, mailbox):
    """The same customer wrote twice about one order: two tickets by mail."""
    first = deliver(mailbox, build_mail(message_id="<ilk@musteri.test>")).ticket
    second = deliver(
        mailbox,
        build_mail(
            subject="Siparişim nerede, ödeme de çekildi",
            text="Kartımdan ödeme çekildi ama sipariş yok.\n",
            message_id="<ikinci@musteri.test>",
            cc="Eşim <es@musteri.test>",
            attachments=[("dekont.pdf", "application/pdf", b"%PDF-1.4")],
        ),
    ).ticket
    return first, second


def test_merge_moves_messages_attachments_events_and_participants(pair, agent, workspace):
    first, second = pair
    actions.set_tags(ticket=second, actor=agent, names=["ödeme"])
    survivor = actions.merge(ticket=second, into=first, actor=agent)
    assert survivor == first
    assert [m.text.splitlines()[0] for m in first.messages.order_by("created_at", "pk")] == [
        "Merhaba, 3 gün önce verdiğim sipariş hâlâ kargoya verilmedi.",
        "Kartımdan ödeme çekildi ama sipariş yok.",
    ]
    assert second.messages.count() == 0
    assert [a.filename for m in first.messages.all() for a in m.attachments.all()] == ["dekont.pdf"]
    assert sorted(first.tags.values_list("name", flat=True)) == ["ödeme"]
    assert list(Participant.objects.filter(ticket=first).values_list("email", flat=True)) == [
        "es@musteri.test"
    ]
    assert set(MessageEnvelope.objects.values_list("ticket_id", flat=True)) == {first.pk}
    kinds = list(first.events.values_list("kind", "old_value", "new_value"))
    assert (EventKind.TAGS, "", "ödeme") in kinds
    assert kinds[-1] == (EventKind.MERGED, "DST-1", "DST-2")


def test_the_merged_ticket_is_closed_and_points_at_the_survivor(pair, agent):
    first, second = pair
    actions.merge(ticket=second, into=first, actor=agent)
    second.refresh_from_db()
    assert (second.status, second.merged_into_id) == (Status.CLOSED, first.pk)
    assert list(second.events.values_list("kind", "old_value", "new_value")) == [
        (EventKind.STATUS, Status.NEW, Status.CLOSED),
        (EventKind.MERGED, "DST-2", "DST-1"),
    ]


def test_a_later_reply_to_the_merged_tickets_message_id_lands_on_the_survivor(pair, agent, mailbox):
    first, second = pair
    actions.merge(ticket=second, into=first, actor=agent)
    inbound = deliver(
        mailbox,
        build_mail(
            subject="Re: Siparişim nerede",
            text="Hâlâ bekliyorum.\n",
            message_id="<ucuncu@musteri.test>",
            in_reply_to="<ikinci@musteri.test>",
        ),
    )
    assert inbound.ticket == first
    assert Ticket.objects.count() == 2


def test_a_reply_to_our_signed_id_of_the_merged_ticket_lands_on_the_survivor(
    pair, agent, mailbox, workspace
):
    first, second = pair
    actions.merge(ticket=second, into=first, actor=agent)
    ours = make_message_id(workspace_id=workspace.pk, ticket_id=second.pk, domain="anadolu.test")
    inbound = deliver(
        mailbox,
        build_mail(text="Tamam.\n", message_id="<dorduncu@musteri.test>", in_reply_to=f"<{ours}>"),
    )
    assert inbound.ticket == first


def test_a_reply_quoting_the_merged_tickets_code_lands_on_the_survivor(pair, agent, mailbox):
    first, second = pair
    actions.merge(ticket=second, into=first, actor=agent)
    inbound = deliver(
        mailbox,
        build_mail(subject=f"Re: [{second.code}] ödeme", message_id="<besinci@musteri.test>"),
    )
    assert inbound.ticket == first
    first.refresh_from_db()
    assert first.messages.count() == 3


def test_search_finds_the_merged_words_on_the_survivor(pair, agent, workspace):
    first, second = pair
    actions.merge(ticket=second, into=first, actor=agent)
    results = search(workspace, "dekont", Ticket.objects.all(), filtered=False)
    assert [hit.ticket.code for hit in results.hits] == ["DST-1"]


def test_merge_refuses_itself_another_workspace_and_a_merged_ticket(
    pair, agent, other_workspace, workspace
):
    first, second = pair
    with pytest.raises(ActionError, match="kendisiyle"):
        actions.merge(ticket=first, into=first, actor=agent)
    stranger = actions.create_ticket(
        workspace=other_workspace,
        customer=actions.get_or_create_customer(workspace=other_workspace, email="x@y.test"),
        subject="x",
        text="y",
    )
    with pytest.raises(ActionError, match="çalışma alanına ait değil"):
        actions.merge(ticket=second, into=stranger, actor=agent)
    actions.merge(ticket=second, into=first, actor=agent)
    with pytest.raises(ActionError, match="yeniden birleştirilemez"):
        actions.merge(ticket=first, into=second, actor=agent)


def test_split_moves_one_message_into_a_new_ticket(ticket, agent, customer, workspace):
    later = actions.add_customer_message(
        ticket=ticket,
        customer=customer,
        text="Bir de faturamı bulamıyorum.",
        files=[FileData("fatura.pdf", "application/pdf", b"%PDF")],
    )
    new = actions.split(message=later, actor=agent)
    assert (new.code, new.subject, new.customer, new.status) == (
        "DST-2",
        ticket.subject,
        customer,
        Status.NEW,
    )
    assert list(new.messages.values_list("text", flat=True)) == ["Bir de faturamı bulamıyorum."]
    assert [a.filename for a in new.messages.get().attachments.all()] == ["fatura.pdf"]
    assert ticket.messages.count() == 1
    assert list(ticket.events.filter(kind=EventKind.SPLIT).values_list("new_value", flat=True)) == [
        "DST-2"
    ]
    codes = [
        h.ticket.code
        for h in search(workspace, "fatura", Ticket.objects.all(), filtered=False).hits
    ]
    assert codes == ["DST-2"]


def test_split_refuses_the_only_message(ticket, agent):
    with pytest.raises(ActionError, match="tek mesajı"):
        actions.split(message=ticket.messages.get(), actor=agent)


def test_merge_and_split_views(agent_client, pair, workspace):
    first, second = pair
    response = agent_client.post(f"/w/anadolu/t/{second.number}/merge/", {"into": "dst-1"})
    assert response["Location"] == "/w/anadolu/t/1/"
    page = agent_client.get("/w/anadolu/t/2/").content.decode()
    assert "Bu talep DST-1 talebiyle birleştirildi" in page
    message = first.messages.order_by("created_at", "pk").last()
    response = agent_client.post(f"/w/anadolu/t/1/messages/{message.pk}/split/")
    assert response["Location"] == "/w/anadolu/t/3/"


def test_merge_view_with_an_unknown_ticket_says_so(agent_client, pair):
    response = agent_client.post("/w/anadolu/t/2/merge/", {"into": "BSK-1"}, follow=True)
    assert "Birleştirilecek talep bulunamadı." in response.content.decode()
