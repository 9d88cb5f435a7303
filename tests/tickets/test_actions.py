"""The named actions of tickets.actions: numbering, the status machine applied, events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from destek.tickets import actions
from destek.tickets.actions import ActionError
from destek.tickets.models import EventKind, MessageKind, Organization, Ticket, TicketEvent
from destek.tickets.status import Status


def event_kinds(ticket: Ticket) -> list[str]:
    return list(ticket.events.values_list("kind", flat=True))


# --- numbering ----------------------------------------------------------------------------------


def test_numbers_are_consecutive_per_workspace(workspace, other_workspace, make_ticket):
    customer = actions.get_or_create_customer(workspace=other_workspace, email="a@baska.test")

    ours = [make_ticket().number for _ in range(3)]
    theirs = actions.create_ticket(
        workspace=other_workspace, customer=customer, subject="x", text="x"
    )

    assert ours == [1, 2, 3]
    assert (theirs.number, theirs.code) == (1, "BSK-1")


def test_a_rolled_back_ticket_gives_its_number_back(workspace, make_ticket):
    make_ticket()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_ticket()
        raise RuntimeError("crash after the ticket was created")

    assert make_ticket().number == 2
    assert list(Ticket.objects.values_list("number", flat=True).order_by("number")) == [1, 2]


def test_category_default_priority_is_used_when_none_given(workspace, make_ticket):
    category = workspace_category(workspace, "Ödeme / Checkout")

    assert make_ticket(category=category).priority == "P0"


# --- replies and notes --------------------------------------------------------------------------


def test_first_reply_opens_a_new_ticket_and_stops_the_first_response_clock(agent, ticket):
    message = actions.reply(ticket=ticket, actor=agent, text="Bakıyoruz")

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.first_response_at == message.created_at
    assert event_kinds(ticket) == [EventKind.CREATED, EventKind.STATUS]


def test_second_reply_keeps_the_first_response_time(agent, ticket):
    first = actions.reply(ticket=ticket, actor=agent, text="Bir")
    actions.reply(ticket=ticket, actor=agent, text="İki", now=first.created_at + timedelta(hours=1))

    ticket.refresh_from_db()
    assert ticket.first_response_at == first.created_at


def test_reply_with_a_refused_status_is_rolled_back_entirely(agent, ticket):
    with pytest.raises(ActionError):
        actions.reply(ticket=ticket, actor=agent, text="Tamam", status=Status.NEW)

    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
    assert not ticket.messages.filter(kind=MessageKind.REPLY).exists()


def test_empty_reply_is_refused(agent, ticket):
    with pytest.raises(ActionError, match="Yanıt boş olamaz."):
        actions.reply(ticket=ticket, actor=agent, text="   ")


@pytest.mark.parametrize("status", [Status.NEW, Status.PENDING, Status.RESOLVED])
def test_note_never_changes_the_status(agent, ticket, status):
    if status != Status.NEW:
        actions.change_status(ticket=ticket, actor=agent, status=status)

    actions.add_note(ticket=ticket, actor=agent, text="iç bilgi")

    ticket.refresh_from_db()
    assert ticket.status == status
    assert ticket.first_response_at is None
    assert ticket.messages.filter(kind=MessageKind.NOTE).count() == 1


# --- status machine -----------------------------------------------------------------------------


@pytest.mark.parametrize("target", [Status.NEW, Status.OPEN, Status.PENDING, Status.RESOLVED])
def test_closed_ticket_refuses_every_move(agent, ticket, target):
    actions.change_status(ticket=ticket, actor=agent, status=Status.CLOSED)

    with pytest.raises(ActionError):
        actions.change_status(ticket=ticket, actor=agent, status=target)


def test_moving_back_to_new_is_refused_with_a_readable_reason(agent, ticket):
    actions.change_status(ticket=ticket, actor=agent, status=Status.OPEN)

    with pytest.raises(ActionError) as refused:
        actions.change_status(ticket=ticket, actor=agent, status=Status.NEW)

    assert str(refused.value) == "“İnceleniyor” durumundan “Yeni” durumuna geçilemez."
    assert ticket.events.filter(kind=EventKind.STATUS).count() == 1


def test_customer_reply_to_a_resolved_ticket_reopens_and_counts_it(agent, customer, ticket):
    actions.change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)

    actions.add_customer_message(ticket=ticket, customer=customer, text="Hâlâ olmuyor")

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.reopen_count == 1
    assert ticket.resolved_at is None
    assert ticket.events.filter(kind=EventKind.REOPENED).count() == 1


def test_agent_reopening_a_resolved_ticket_counts_a_reopen(agent, ticket):
    actions.change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    actions.change_status(ticket=ticket, actor=agent, status=Status.OPEN)

    ticket.refresh_from_db()
    assert ticket.reopen_count == 1


def test_customer_reply_after_the_reopen_window_opens_a_follow_up(agent, customer, ticket):
    resolved = timezone.now() - timedelta(days=30)
    actions.change_status(ticket=ticket, actor=agent, status=Status.RESOLVED, now=resolved)

    message = actions.add_customer_message(ticket=ticket, customer=customer, text="Yeni sorun")

    ticket.refresh_from_db()
    assert message.ticket.follow_up_of == ticket
    assert ticket.status == Status.RESOLVED
    assert ticket.reopen_count == 0


def test_customer_reply_to_a_closed_ticket_opens_a_linked_follow_up(agent, customer, ticket):
    actions.change_status(ticket=ticket, actor=agent, status=Status.CLOSED)

    message = actions.add_customer_message(ticket=ticket, customer=customer, text="Tekrar oldu")

    follow_up = message.ticket
    ticket.refresh_from_db()
    assert follow_up.pk != ticket.pk
    assert (follow_up.number, follow_up.status, follow_up.subject) == (
        2,
        Status.NEW,
        ticket.subject,
    )
    assert follow_up.follow_up_of == ticket
    assert ticket.status == Status.CLOSED
    assert ticket.messages.count() == 1
    assert ticket.events.get(kind=EventKind.FOLLOW_UP).new_value == "DST-2"


def test_customer_reply_to_a_pending_ticket_moves_it_back_to_open(agent, customer, ticket):
    actions.change_status(ticket=ticket, actor=agent, status=Status.PENDING)

    actions.add_customer_message(ticket=ticket, customer=customer, text="Bilgiler ekte")

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.reopen_count == 0


# --- assignment and properties ------------------------------------------------------------------


def test_claim_assigns_and_opens(agent, ticket):
    actions.claim(ticket=ticket, actor=agent)

    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status) == (agent, Status.OPEN)
    assert event_kinds(ticket) == [EventKind.CREATED, EventKind.ASSIGNEE, EventKind.STATUS]


def test_assigning_to_someone_outside_the_workspace_is_refused(admin, other_agent, ticket):
    with pytest.raises(ActionError, match="bu çalışma alanında temsilci değil"):
        actions.assign(ticket=ticket, actor=admin, assignee=other_agent)


def test_assigning_to_the_owner_is_refused(admin, owner, ticket):
    with pytest.raises(ActionError):
        actions.assign(ticket=ticket, actor=admin, assignee=owner)


def test_setting_the_same_priority_writes_no_event(agent, ticket):
    actions.set_priority(ticket=ticket, actor=agent, priority=ticket.priority)

    assert not ticket.events.filter(kind=EventKind.PRIORITY).exists()


def test_category_of_another_workspace_is_refused(agent, ticket, other_workspace):
    with pytest.raises(ActionError):
        actions.set_category(
            ticket=ticket,
            actor=agent,
            category=workspace_category(other_workspace, "Ödeme / Checkout"),
        )


def test_bulk_update_assigns_all_and_reports_refusals(agent, admin, make_ticket):
    first, closed = make_ticket(), make_ticket()
    actions.change_status(ticket=closed, actor=agent, status=Status.CLOSED)

    count, errors = actions.bulk_update(
        tickets=[first, closed], actor=admin, assignee=agent, status=Status.PENDING
    )

    first.refresh_from_db()
    closed.refresh_from_db()
    assert count == 1
    assert errors == ["DST-2: “Kapandı” durumundan “Beklemede” durumuna geçilemez."]
    assert (first.assignee, first.status) == (agent, Status.PENDING)
    # The refused ticket's assignment was rolled back with its status change.
    assert closed.assignee is None
    assert not TicketEvent.objects.filter(ticket=closed, kind=EventKind.ASSIGNEE).exists()


# --- customers ----------------------------------------------------------------------------------


def test_update_customer_keeps_one_organization_per_name(workspace, customer):
    actions.update_customer(customer=customer, name="Zeynep", organization_name="KAYA İNŞAAT")
    other = actions.get_or_create_customer(workspace=workspace, email="b@kaya.test")
    actions.update_customer(customer=other, name="Burak", organization_name="Kaya inşaat")

    assert Organization.objects.filter(workspace=workspace).count() == 1
    assert other.organization == customer.organization


def workspace_category(workspace, name: str):
    from destek.tickets.models import Category

    return Category.objects.get(workspace=workspace, name=name)
