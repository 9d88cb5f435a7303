"""Keeping the report tables in step with the tickets (see ``reports.models``).

Receivers run inside the action's transaction, so a ticket's figures are stored with the change
that caused them or not at all. ``rebuild`` recomputes everything from the live tables; tests
check that both ways give the same rows.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from destek.accounts.models import Workspace
from destek.reports.models import ReplyDay, TicketFigures
from destek.sla.clock import Calendar, business_time_between
from destek.sla.services import load_calendar
from destek.tickets.models import Message, MessageKind, Ticket

BATCH = 5000


def _seconds(start: datetime, end: datetime | None) -> int | None:
    return None if end is None else max(int((end - start).total_seconds()), 0)


def _business_seconds(start: datetime, end: datetime | None, calendar: Calendar) -> int | None:
    if end is None:
        return None
    return int(business_time_between(start, end, calendar).total_seconds())


def figures_for(
    ticket_id: int,
    workspace_id: int,
    assignee_id: int | None,
    reopen_count: int,
    created_at: datetime,
    first_response_at: datetime | None,
    resolved_at: datetime | None,
    calendar: Calendar,
) -> TicketFigures:
    """The durations of one ticket: creation to first reply, creation to (last) resolution."""
    return TicketFigures(
        ticket_id=ticket_id,
        workspace_id=workspace_id,
        assignee_id=assignee_id,
        reopened=reopen_count > 0,
        first_response_at=first_response_at,
        first_response_seconds=_seconds(created_at, first_response_at),
        first_response_business_seconds=_business_seconds(created_at, first_response_at, calendar),
        resolved_at=resolved_at,
        resolution_seconds=_seconds(created_at, resolved_at),
        resolution_business_seconds=_business_seconds(created_at, resolved_at, calendar),
    )


def refresh_figures(ticket: Ticket) -> None:
    """Recompute a ticket's figures when its first reply or resolution stamp moved."""
    stored = (
        TicketFigures.objects.filter(pk=ticket.pk)
        .values_list("first_response_at", "resolved_at", "assignee_id", "reopened")
        .first()
    )
    stamps = (ticket.first_response_at, ticket.resolved_at)
    copies = (ticket.assignee_id, ticket.reopen_count > 0)
    if stored is None and stamps == (None, None):
        return
    if stored is not None and stored[:2] == stamps:
        if stored[2:] != copies:  # reassigned: no duration changes, no calendar needed
            TicketFigures.objects.filter(pk=ticket.pk).update(
                assignee_id=copies[0], reopened=copies[1]
            )
        return
    figures = figures_for(
        ticket.pk,
        ticket.workspace_id,
        ticket.assignee_id,
        ticket.reopen_count,
        ticket.created_at,
        ticket.first_response_at,
        ticket.resolved_at,
        load_calendar(ticket.workspace),
    )
    figures.save(force_insert=stored is None, force_update=stored is not None)


def on_ticket_saved(sender: object, instance: Ticket, raw: bool = False, **kwargs: object) -> None:
    if not raw:
        refresh_figures(instance)


def count_reply(message: Message) -> None:
    """One more reply on the author's day, in the workspace's time zone."""
    zone = ZoneInfo(message.ticket.workspace.time_zone)
    day = message.created_at.astimezone(zone).date()
    key = {"workspace_id": message.workspace_id, "day": day, "author_id": message.author_id}
    if ReplyDay.objects.filter(**key).update(replies=F("replies") + 1):
        return
    try:
        with transaction.atomic():
            ReplyDay.objects.create(**key, replies=1)
    except IntegrityError:  # another reply created the row first
        ReplyDay.objects.filter(**key).update(replies=F("replies") + 1)


def on_message_saved(
    sender: object, instance: Message, created: bool, raw: bool = False, **kwargs: object
) -> None:
    if created and not raw and instance.kind == MessageKind.REPLY and instance.author_id:
        count_reply(instance)


@transaction.atomic
def rebuild(workspace: Workspace) -> tuple[int, int]:
    """Recompute every figure and reply count of the workspace from the live tables; returns
    (figure rows, reply-day rows)."""
    return rebuild_figures(workspace), rebuild_reply_days(workspace)


def rebuild_figures(workspace: Workspace) -> int:
    calendar = load_calendar(workspace)
    TicketFigures.objects.filter(workspace=workspace).delete()
    rows = (
        Ticket.objects.for_workspace(workspace)
        .filter(Q(first_response_at__isnull=False) | Q(resolved_at__isnull=False))
        .order_by()
        .values_list(
            "pk",
            "workspace_id",
            "assignee_id",
            "reopen_count",
            "created_at",
            "first_response_at",
            "resolved_at",
        )
    )
    batch: list[TicketFigures] = []
    count = 0
    for row in rows.iterator(chunk_size=BATCH):
        batch.append(figures_for(*row, calendar))
        if len(batch) == BATCH:
            TicketFigures.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    TicketFigures.objects.bulk_create(batch)
    return count + len(batch)


def rebuild_reply_days(workspace: Workspace) -> int:
    zone = ZoneInfo(workspace.time_zone)
    replies = (
        Message.objects.filter(workspace=workspace, kind=MessageKind.REPLY, author__isnull=False)
        .order_by()
        .values_list("author_id", "created_at")
    )
    counts = Counter(
        (author, at.astimezone(zone).date()) for author, at in replies.iterator(chunk_size=BATCH)
    )
    ReplyDay.objects.filter(workspace=workspace).delete()
    ReplyDay.objects.bulk_create(
        (
            ReplyDay(workspace=workspace, author_id=author, day=day, replies=n)
            for (author, day), n in counts.items()
        ),
        batch_size=BATCH,
    )
    return len(counts)
