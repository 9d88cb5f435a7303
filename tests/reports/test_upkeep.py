"""The report tables kept by each ticket's save equal the ones rebuilt from scratch, and match
live counts of the messages."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.db.models import Count

from destek.reports.models import ReplyDay, TicketFigures
from destek.reports.upkeep import rebuild
from destek.tickets import actions
from destek.tickets.models import Message, MessageKind

FIGURE_FIELDS = (
    "ticket_id",
    "workspace_id",
    "assignee_id",
    "reopened",
    "first_response_at",
    "first_response_seconds",
    "first_response_business_seconds",
    "resolved_at",
    "resolution_seconds",
    "resolution_business_seconds",
    "created_at",
    "category_id",
    "team_id",
    "priority",
    "done",
    "first_response_due_at",
    "resolution_due_at",
)


def _figures() -> list[tuple]:
    return list(TicketFigures.objects.order_by("ticket_id").values_list(*FIGURE_FIELDS))


def _reply_days() -> list[tuple]:
    return list(
        ReplyDay.objects.order_by("day", "author_id").values_list(
            "workspace_id", "day", "author_id", "replies"
        )
    )


def test_kept_figures_equal_rebuilt_ones(workspace, history):
    kept = _figures()

    rebuild(workspace)

    assert _figures() == kept
    # One row per ticket (the tallies count every ticket's creation); T4 and T7 have no stamp.
    every = (history.t1, history.t2, history.t3, history.t4, history.t5, history.t6, history.t7)
    assert [row[0] for row in kept] == sorted(t.pk for t in every)
    t4 = TicketFigures.objects.get(ticket=history.t4)
    assert (t4.first_response_seconds, t4.resolution_seconds) == (None, None)


def test_figures_follow_a_reassignment(workspace, history):
    actions.assign(ticket=history.t1, actor=history.admin, assignee=history.admin)

    assert TicketFigures.objects.get(ticket=history.t1).assignee_id == history.admin.pk


def test_reopened_ticket_loses_its_resolution_until_resolved_again(workspace, history):
    figures = TicketFigures.objects.get(ticket=history.t3)

    # Resolved Fri 17:45, reopened Sat, resolved again Sun 12:00: the last resolution counts.
    assert figures.resolution_seconds == 43 * 3600
    assert figures.resolution_business_seconds == 3600


def test_kept_reply_days_equal_rebuilt_ones_and_live_counts(workspace, history):
    kept = _reply_days()

    call_command("rebuild_reports", workspace=workspace.slug, stdout=io.StringIO())

    assert _reply_days() == kept
    live = dict(
        Message.objects.filter(workspace=workspace, kind=MessageKind.REPLY)
        .values_list("author_id")
        .annotate(n=Count("pk"))
    )
    kept_totals: dict[int, int] = {}
    for _ws, _day, author, replies in kept:
        kept_totals[author] = kept_totals.get(author, 0) + replies
    assert kept_totals == live == {history.agent.pk: 4, history.admin.pk: 2}


def test_rebuild_leaves_other_workspaces_alone(workspace, other_workspace, history):
    before = TicketFigures.objects.count()

    rebuild(other_workspace)

    assert TicketFigures.objects.count() == before
