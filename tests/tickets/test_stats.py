"""Dashboard numbers, with "today" in the workspace's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from destek.tickets import actions
from destek.tickets.models import Ticket
from destek.tickets.stats import AgentNumbers, DeskNumbers, agent_numbers, desk_numbers
from destek.tickets.status import Status

# 00:30 on 23 November in Istanbul (UTC+3) is still 22 November in UTC.
NOW = datetime(2026, 11, 22, 21, 30, tzinfo=UTC)


def created_at(ticket: Ticket, when: datetime) -> None:
    Ticket.objects.filter(pk=ticket.pk).update(created_at=when)


def test_desk_numbers_count_backlog_and_today(agent, make_ticket):
    new, assigned, resolved_today, resolved_before = (make_ticket() for _ in range(4))
    actions.assign(ticket=assigned, actor=agent, assignee=agent)
    actions.change_status(ticket=resolved_today, actor=agent, status=Status.RESOLVED, now=NOW)
    actions.change_status(
        ticket=resolved_before, actor=agent, status=Status.RESOLVED, now=NOW - timedelta(days=1)
    )
    for ticket in (assigned, resolved_today, resolved_before):
        created_at(ticket, NOW - timedelta(days=3))
    created_at(new, NOW - timedelta(minutes=10))

    assert desk_numbers(new.workspace, now=NOW) == DeskNumbers(
        open=2, new_today=1, resolved_today=1, unassigned=1
    )


def test_today_starts_at_midnight_in_the_workspace_time_zone(make_ticket):
    after_midnight, before_midnight = make_ticket(), make_ticket()
    created_at(after_midnight, datetime(2026, 11, 22, 21, 10, tzinfo=UTC))  # 00:10 Istanbul
    created_at(before_midnight, datetime(2026, 11, 22, 20, 50, tzinfo=UTC))  # 23:50 the day before

    assert desk_numbers(after_midnight.workspace, now=NOW).new_today == 1


def test_closed_without_resolving_counts_as_resolved_today(agent, ticket):
    actions.change_status(ticket=ticket, actor=agent, status=Status.CLOSED, now=NOW)

    assert desk_numbers(ticket.workspace, now=NOW).resolved_today == 1


def test_desk_numbers_take_one_query(workspace, django_assert_num_queries):
    with django_assert_num_queries(1):
        desk_numbers(workspace, now=NOW)


def test_desk_numbers_ignore_other_workspaces(other_workspace, ticket):
    assert desk_numbers(other_workspace, now=NOW) == DeskNumbers(0, 0, 0, 0)


def test_agent_numbers_are_their_own(agent, admin, make_ticket):
    mine, theirs, solved, solved_by_admin = (make_ticket() for _ in range(4))
    actions.assign(ticket=mine, actor=agent, assignee=agent)
    actions.assign(ticket=theirs, actor=admin, assignee=admin)
    actions.change_status(ticket=solved, actor=agent, status=Status.RESOLVED, now=NOW)
    actions.change_status(ticket=solved, actor=agent, status=Status.CLOSED, now=NOW)
    actions.change_status(ticket=solved_by_admin, actor=admin, status=Status.RESOLVED, now=NOW)

    assert agent_numbers(mine.workspace, agent, now=NOW) == AgentNumbers(
        assigned_open=1, resolved_today=1
    )


def test_agent_resolutions_yesterday_do_not_count_today(agent, ticket):
    actions.change_status(
        ticket=ticket, actor=agent, status=Status.RESOLVED, now=NOW - timedelta(hours=1)
    )

    assert agent_numbers(ticket.workspace, agent, now=NOW).resolved_today == 0
