"""Snooze: pending until a time, then open again by the periodic task."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from destek.tickets import actions
from destek.tickets.actions import ActionError
from destek.tickets.models import EventKind
from destek.tickets.snooze import snooze_until
from destek.tickets.status import Status
from destek.tickets.tasks import wake_snoozed_tickets

pytestmark = pytest.mark.django_db

# Later than any real "now" of a test run: the snooze must come after the ticket was created.
NOW = datetime(2036, 11, 24, 10, 0, tzinfo=UTC)


def test_snooze_makes_the_ticket_pending_until_the_time(ticket, agent):
    actions.snooze(ticket=ticket, actor=agent, until=NOW + timedelta(hours=2), now=NOW)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.snoozed_until) == (Status.PENDING, NOW + timedelta(hours=2))
    assert ticket.events.last().kind == EventKind.SNOOZED


def test_wake_opens_only_the_tickets_whose_time_has_come(ticket, agent, workspace, customer):
    later = actions.create_ticket(workspace=workspace, customer=customer, subject="b", text="b")
    actions.snooze(ticket=ticket, actor=agent, until=NOW + timedelta(hours=1), now=NOW)
    actions.snooze(ticket=later, actor=agent, until=NOW + timedelta(days=1), now=NOW)
    assert actions.wake_snoozed(now=NOW + timedelta(hours=1)) == 1
    ticket.refresh_from_db()
    later.refresh_from_db()
    assert (ticket.status, ticket.snoozed_until) == (Status.OPEN, None)
    assert (later.status, later.snoozed_until) == (Status.PENDING, NOW + timedelta(days=1))
    assert ticket.events.last().kind == EventKind.STATUS


def test_the_periodic_task_wakes_a_ticket_whose_snooze_has_passed(ticket, agent):
    past = timezone.now() - timedelta(minutes=5)
    actions.snooze(ticket=ticket, actor=agent, until=past, now=past - timedelta(hours=1))
    assert wake_snoozed_tickets.call_local() == 1
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_a_customer_answer_before_the_time_keeps_the_ticket_open(ticket, agent, customer):
    actions.snooze(ticket=ticket, actor=agent, until=NOW + timedelta(hours=1), now=NOW)
    actions.add_customer_message(ticket=ticket, customer=customer, text="Ek bilgi", now=NOW)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    actions.wake_snoozed(now=NOW + timedelta(hours=2))
    ticket.refresh_from_db()
    assert (ticket.status, ticket.snoozed_until) == (Status.OPEN, None)


def test_snooze_refuses_the_past_and_done_tickets(ticket, agent):
    with pytest.raises(ActionError, match="gelecekte"):
        actions.snooze(ticket=ticket, actor=agent, until=NOW - timedelta(minutes=1), now=NOW)
    actions.change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    with pytest.raises(ActionError, match="ertelenemez"):
        actions.snooze(ticket=ticket, actor=agent, until=timezone.now() + timedelta(hours=1))


def test_snooze_choices_in_the_workspace_time_zone(settings):
    timezone.activate("Europe/Istanbul")
    try:
        monday = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # 13:00 in Istanbul
        assert snooze_until("1h", now=monday) == monday + timedelta(hours=1)
        assert snooze_until("tomorrow", now=monday).isoformat() == "2026-11-24T09:00:00+03:00"
        assert snooze_until("week", now=monday).isoformat() == "2026-11-30T09:00:00+03:00"
        assert snooze_until("custom", now=monday, custom="2026-12-01T14:30").isoformat() == (
            "2026-12-01T14:30:00+03:00"
        )
        assert snooze_until("custom", now=monday, custom="yarın") is None
        assert snooze_until("sonra", now=monday) is None
    finally:
        timezone.deactivate()


def test_the_snooze_view(agent_client, ticket):
    response = agent_client.post("/w/anadolu/t/1/snooze/", {"until": "tomorrow"})
    assert response["Location"] == "/w/anadolu/t/1/"
    ticket.refresh_from_db()
    assert ticket.status == Status.PENDING
    assert ticket.snoozed_until is not None
