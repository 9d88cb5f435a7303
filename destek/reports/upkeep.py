"""Keeping the report tables in step with the tickets (see ``reports.models``).

Receivers run inside the action's transaction, so a ticket's figures are stored with the change
that caused them or not at all. ``rebuild`` recomputes everything from the live tables; tests
check that both ways give the same rows.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from destek.accounts.models import Workspace
from destek.lib.rows import copy_row, insert, new_row
from destek.reports.models import DayDurations, DayTally, ReplyDay, TicketFigures
from destek.sla.clock import Calendar, business_time_between
from destek.sla.services import load_calendar
from destek.tickets.models import Category, Message, MessageKind, Team, Ticket
from destek.tickets.status import DONE

BATCH = 5000


def _seconds(start: datetime, end: datetime | None) -> int | None:
    return None if end is None else max(int((end - start).total_seconds()), 0)


def _business_seconds(
    start: datetime, end: datetime | None, calendar: Calendar | None
) -> int | None:
    if end is None or calendar is None:
        return None
    return int(business_time_between(start, end, calendar).total_seconds())


FIGURE_COPIES = (
    "assignee_id",
    "reopened",
    "created_at",
    "category_id",
    "team_id",
    "priority",
    "done",
    "first_response_due_at",
    "resolution_due_at",
)
STAMPS = ("first_response_at", "resolved_at")


def figures_for(
    ticket_id: int,
    workspace_id: int,
    assignee_id: int | None,
    reopen_count: int,
    created_at: datetime,
    first_response_at: datetime | None,
    resolved_at: datetime | None,
    calendar: Calendar | None,
    category_id: int | None = None,
    team_id: int | None = None,
    priority: str = "",
    status: str = "",
    first_response_due_at: datetime | None = None,
    resolution_due_at: datetime | None = None,
) -> TicketFigures:
    """The durations of one ticket: creation to first reply, creation to (last) resolution.
    The due times are copied only once it is done: before, its SLA outcome is counted live, and
    the SLA app's recomputing them on every change leaves the figures alone."""
    done = status in DONE
    return new_row(
        TicketFigures,
        ticket_id=ticket_id,
        workspace_id=workspace_id,
        assignee_id=assignee_id,
        reopened=reopen_count > 0,
        created_at=created_at,
        category_id=category_id,
        team_id=team_id,
        priority=priority,
        done=done,
        first_response_due_at=first_response_due_at if done else None,
        resolution_due_at=resolution_due_at if done else None,
        first_response_at=first_response_at,
        first_response_seconds=_seconds(created_at, first_response_at),
        first_response_business_seconds=_business_seconds(created_at, first_response_at, calendar),
        resolved_at=resolved_at,
        resolution_seconds=_seconds(created_at, resolved_at),
        resolution_business_seconds=_business_seconds(created_at, resolved_at, calendar),
    )


# Ticket columns, in figures_for's order after the calendar.
TICKET_COPIES = (
    "category_id",
    "team_id",
    "priority",
    "status",
    "first_response_due_at",
    "resolution_due_at",
)


def _copies(ticket: Ticket) -> tuple:
    return tuple(getattr(ticket, name) for name in TICKET_COPIES)


def refresh_figures(ticket: Ticket, created: bool = False) -> None:
    """Bring a ticket's figures and its share of the daily tallies and sorted durations in step
    with the ticket: durations are recomputed only when a stamp moved; the tallies get the
    difference. A ticket just ``created`` has no figures yet (no read)."""
    stored = None if created else TicketFigures.objects.filter(pk=ticket.pk).first()
    fresh = _fresh(ticket, stored, lambda: load_calendar(ticket.workspace))
    if fresh is None:
        return
    fresh.save(force_insert=stored is None, force_update=stored is not None)
    zone = ZoneInfo(ticket.workspace.time_zone)
    add_to_tallies(
        ticket.workspace_id,
        difference(tally(fresh, zone), tally(stored, zone) if stored else {}),
    )
    move_durations(ticket.workspace_id, spread(stored, zone) if stored else {}, spread(fresh, zone))


def refresh_many(tickets: list[Ticket], *, created: Collection[int] = ()) -> None:
    """:func:`refresh_figures` for many tickets of one workspace (e.g. an ingest batch's) in a
    constant number of queries: one read, one insert, one update, one tally statement. The
    tickets whose ids are in ``created`` were just made: they have no figures to read."""
    if not tickets:
        return
    workspace = tickets[0].workspace
    zone = ZoneInfo(workspace.time_zone)
    older = [t.pk for t in tickets if t.pk not in created]
    stored = TicketFigures.objects.in_bulk(older) if older else {}
    calendar: list[Calendar] = []

    def lazy_calendar() -> Calendar:
        if not calendar:
            calendar.append(load_calendar(workspace))
        return calendar[0]

    added, changed = [], []
    new_tallies: Tallies = {}
    old_tallies: Tallies = {}
    new_spread: Spread = {}
    old_spread: Spread = {}
    for ticket in tickets:
        before = stored.get(ticket.pk)
        fresh = _fresh(ticket, before, lazy_calendar)
        if fresh is None:
            continue
        (changed if before is not None else added).append(fresh)
        tally(fresh, zone, new_tallies)
        spread(fresh, zone, new_spread)
        if before is not None:
            tally(before, zone, old_tallies)
            spread(before, zone, old_spread)
    insert(added)
    if changed:
        fields = [f.name for f in TicketFigures._meta.concrete_fields if not f.primary_key]
        TicketFigures.objects.bulk_update(changed, fields)
    add_to_tallies(workspace.pk, difference(new_tallies, old_tallies))
    move_durations(workspace.pk, old_spread, new_spread)


def _fresh(
    ticket: Ticket, stored: TicketFigures | None, calendar: Callable[[], Calendar]
) -> TicketFigures | None:
    """The figures the ticket has now; None when they are the stored ones."""
    if stored is not None and (stored.first_response_at, stored.resolved_at) == (
        ticket.first_response_at,
        ticket.resolved_at,
    ):
        fresh = copy_row(stored)  # same durations: no calendar needed
        fresh.assignee_id = ticket.assignee_id
        fresh.reopened = ticket.reopen_count > 0
        fresh.created_at = ticket.created_at
        (
            fresh.category_id,
            fresh.team_id,
            fresh.priority,
            status,
            fresh.first_response_due_at,
            fresh.resolution_due_at,
        ) = _copies(ticket)
        fresh.done = status in DONE
        if not fresh.done:
            fresh.first_response_due_at = fresh.resolution_due_at = None
        if all(getattr(fresh, f) == getattr(stored, f) for f in FIGURE_COPIES):
            return None
        return fresh
    return figures_for(
        ticket.pk,
        ticket.workspace_id,
        ticket.assignee_id,
        ticket.reopen_count,
        ticket.created_at,
        ticket.first_response_at,
        ticket.resolved_at,
        # A ticket without either stamp (a new one) has no duration: no calendar to read.
        calendar() if ticket.first_response_at or ticket.resolved_at else None,
        *_copies(ticket),
    )


def on_ticket_saved(
    sender: object, instance: Ticket, created: bool = False, raw: bool = False, **kwargs: object
) -> None:
    if not raw:
        refresh_figures(instance, created)


def on_ticket_written(sender: object = None, *, ticket: Ticket, **kwargs: object) -> None:
    """After the SLA app stored the due times (it writes them with an UPDATE, no save)."""
    refresh_figures(ticket)


def on_ticket_deleted(sender: object, instance: Ticket, **kwargs: object) -> None:
    stored = TicketFigures.objects.filter(pk=instance.pk).first()
    if stored is not None:
        zone = ZoneInfo(instance.workspace.time_zone)
        add_to_tallies(instance.workspace_id, difference({}, tally(stored, zone)))
        move_durations(instance.workspace_id, spread(stored, zone), {})


# --- Daily tallies -----------------------------------------------------------------------------

COUNTERS = (
    "created",
    "first_met",
    "first_missed",
    "resolution_met",
    "resolution_missed",
    "answered",
    "answer_seconds",
    "answer_business_seconds",
    "resolved",
    "resolution_seconds",
    "resolution_business_seconds",
    "reopened",
)
DIMENSIONS = ("day", "agent", "category", "priority", "team")
Key = tuple[date, int, int, str, int]
Tallies = dict[Key, list[int]]

CREATED, FIRST_MET, FIRST_MISSED, RES_MET, RES_MISSED = 0, 1, 2, 3, 4
ANSWERED, ANSWER_SECONDS, ANSWER_BUSINESS = 5, 6, 7
RESOLVED, RES_SECONDS, RES_BUSINESS, REOPENED = 8, 9, 10, 11


# The dimensions of a day's total row: everyone, every category, priority and team, so the
# numbers of the whole workspace are one row per day (a filter reads the detailed rows).
TOTAL = (-1, -1, "*", -1)


def tally(figures: TicketFigures, zone: ZoneInfo, into: Tallies | None = None) -> Tallies:
    """The ticket's share of the daily tallies (the definitions of ``reports.metrics``, split by
    day): its creation day, its first reply's day and its resolution's day; each in the row of
    its (agent, category, priority, team) and in the day's total row."""
    into = {} if into is None else into
    if figures.created_at is None:
        return into
    dims = (
        figures.assignee_id or 0,
        figures.category_id or 0,
        figures.priority,
        figures.team_id or 0,
    )

    def add(at: datetime, *values: tuple[int, int]) -> None:
        day = at.astimezone(zone).date()
        for key in ((day, *dims), (day, *TOTAL)):
            found = into.get(key)
            if found is None:
                found = into[key] = [0] * len(COUNTERS)
            for index, value in values:
                found[index] += value

    created = [(CREATED, 1)]
    if figures.done:  # an active ticket's outcome depends on the hour: counted live
        first, first_due = figures.first_response_at, figures.first_response_due_at
        if first is not None and first_due is not None:
            created.append((FIRST_MET if first <= first_due else FIRST_MISSED, 1))
        resolved, resolution_due = figures.resolved_at, figures.resolution_due_at
        if resolved is not None and resolution_due is not None:
            created.append((RES_MET if resolved <= resolution_due else RES_MISSED, 1))
    add(figures.created_at, *created)
    if figures.first_response_at is not None:
        add(
            figures.first_response_at,
            (ANSWERED, 1),
            (ANSWER_SECONDS, figures.first_response_seconds),
            (ANSWER_BUSINESS, figures.first_response_business_seconds),
        )
    if figures.resolved_at is not None:
        add(
            figures.resolved_at,
            (RESOLVED, 1),
            (RES_SECONDS, figures.resolution_seconds),
            (RES_BUSINESS, figures.resolution_business_seconds),
            (REOPENED, int(figures.reopened)),
        )
    return into


def difference(new: Tallies, old: Tallies) -> Tallies:
    changes = {}
    for key in new.keys() | old.keys():
        zero = [0] * len(COUNTERS)
        delta = [a - b for a, b in zip(new.get(key, zero), old.get(key, zero), strict=True)]
        if any(delta):
            changes[key] = delta
    return changes


def _table() -> str:
    return connection.ops.quote_name(DayTally._meta.db_table)


def _upsert_sql(rows: int) -> str:
    """Add rows of counters to the tallies (INSERT … ON CONFLICT, SQLite ≥ 3.24 and PostgreSQL)."""
    table = _table()
    columns = ("workspace_id", *DIMENSIONS, *COUNTERS)
    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sums = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTERS)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608 (fixed names only)
        + ", ".join([marks] * rows)
        + f" ON CONFLICT (workspace_id, {', '.join(DIMENSIONS)}) DO UPDATE SET {sums}"
    )


def add_to_tallies(workspace_id: int, changes: Tallies) -> None:
    """Add the changes to the stored tallies in one statement; rows left at zero are removed."""
    if not changes:
        return
    adapt = connection.ops.adapt_datefield_value
    params: list[object] = []
    for (day, *dims), counters in changes.items():
        params += [workspace_id, adapt(day), *dims, *counters]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(len(changes)), params)
    shrunk = {key[0] for key, counters in changes.items() if min(counters) < 0}
    if shrunk:
        DayTally.objects.filter(
            workspace_id=workspace_id, day__in=shrunk, **dict.fromkeys(COUNTERS, 0)
        ).delete()


# --- Sorted durations per day (exact medians) -----------------------------------------------------

Spread = dict[tuple[date, int, int], list[int]]


def pack(values: Iterable[int]) -> bytes:
    return array("i", values).tobytes()


def unpack(data: bytes | memoryview) -> array:
    values = array("i")
    values.frombytes(bytes(data))
    return values


def spread(figures: TicketFigures, zone: ZoneInfo, into: Spread | None = None) -> Spread:
    """The ticket's durations by (day, agent, measure): each under its agent and everyone."""
    into = {} if into is None else into
    for stamp, measures in ((figures.first_response_at, (0, 1)), (figures.resolved_at, (2, 3))):
        if stamp is None:
            continue
        day = stamp.astimezone(zone).date()
        for measure in measures:
            value = getattr(figures, DayDurations.MEASURES[measure])
            for agent in (figures.assignee_id or 0, DayDurations.EVERYONE):
                into.setdefault((day, agent, measure), []).append(value)
    return into


def move_durations(workspace_id: int, old: Spread, new: Spread) -> None:
    """Take the old durations out of their sorted arrays and put the new ones in."""
    keys = old.keys() | new.keys()
    changed = [key for key in keys if sorted(old.get(key, [])) != sorted(new.get(key, []))]
    if not changed:
        return
    rows = {
        (row.day, row.agent, row.measure): row
        for row in DayDurations.objects.select_for_update().filter(
            workspace_id=workspace_id,
            day__in={key[0] for key in changed},
            agent__in={key[1] for key in changed},
            measure__in={key[2] for key in changed},
        )
    }
    for key in changed:
        row = rows.get(key)
        values = unpack(row.values) if row is not None else array("i")
        for value in old.get(key, []):
            at = bisect_left(values, value)
            if at < len(values) and values[at] == value:
                del values[at]
        for value in new.get(key, []):
            insort(values, value)
        if row is None:
            day, agent, measure = key
            DayDurations.objects.create(
                workspace_id=workspace_id,
                day=day,
                agent=agent,
                measure=measure,
                values=pack(values),
            )
        elif values:
            DayDurations.objects.filter(pk=row.pk).update(values=values.tobytes())
        else:
            DayDurations.objects.filter(pk=row.pk).delete()


def fold(dimension: str, value: int) -> None:
    """A deleted agent, category or team: its rows join the "none" rows, as the tickets' own
    columns were set to null (by Django's SET_NULL, which sends no save signal)."""
    table = _table()
    others = [d if d != dimension else "0" for d in DIMENSIONS]
    sums = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTERS)
    counters = ", ".join(COUNTERS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (workspace_id, {', '.join(DIMENSIONS)}, {counters}) "  # noqa: S608
            f"SELECT workspace_id, {', '.join(others)}, {counters} FROM {table} "
            f"WHERE {dimension} = %s "
            f"ON CONFLICT (workspace_id, {', '.join(DIMENSIONS)}) DO UPDATE SET {sums}",
            [value],
        )
        cursor.execute(f"DELETE FROM {table} WHERE {dimension} = %s", [value])  # noqa: S608


def on_category_deleted(sender: object, instance: Category, **kwargs: object) -> None:
    fold("category", instance.pk)


def on_team_deleted(sender: object, instance: Team, **kwargs: object) -> None:
    fold("team", instance.pk)


def on_user_deleted(sender: object, instance: object, **kwargs: object) -> None:
    fold("agent", instance.pk)
    # Their durations join the unassigned ones (the figures' assignee became null).
    for row in DayDurations.objects.filter(agent=instance.pk):
        values = unpack(row.values)
        into = {(row.day, 0, row.measure): list(values)}
        move_durations(row.workspace_id, {(row.day, row.agent, row.measure): list(values)}, into)


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
    """Recompute every figure, daily tally and reply count of the workspace from the live
    tables; returns (figure rows, reply-day rows)."""
    return rebuild_figures(workspace), rebuild_reply_days(workspace)


def rebuild_figures(workspace: Workspace) -> int:
    """Every ticket's figures and, from them, the daily tallies."""
    calendar = load_calendar(workspace)
    zone = ZoneInfo(workspace.time_zone)
    TicketFigures.objects.filter(workspace=workspace).delete()
    DayTally.objects.filter(workspace=workspace).delete()
    rows = (
        Ticket.objects.for_workspace(workspace)
        .order_by()
        .values_list(
            "pk",
            "workspace_id",
            "assignee_id",
            "reopen_count",
            "created_at",
            "first_response_at",
            "resolved_at",
            *TICKET_COPIES,
        )
    )
    tallies: Tallies = {}
    spreads: Spread = {}
    batch: list[TicketFigures] = []
    count = 0
    for row in rows.iterator(chunk_size=BATCH):
        figures = figures_for(*row[:7], calendar, *row[7:])
        tally(figures, zone, tallies)
        spread(figures, zone, spreads)
        batch.append(figures)
        if len(batch) == BATCH:
            TicketFigures.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    TicketFigures.objects.bulk_create(batch)
    DayTally.objects.bulk_create(
        (
            DayTally(
                workspace=workspace,
                **dict(zip(DIMENSIONS, key, strict=True)),
                **dict(zip(COUNTERS, counters, strict=True)),
            )
            for key, counters in tallies.items()
        ),
        batch_size=BATCH,
    )
    DayDurations.objects.filter(workspace=workspace).delete()
    DayDurations.objects.bulk_create(
        (
            DayDurations(
                workspace=workspace, day=day, agent=agent, measure=measure, values=pack(sorted(v))
            )
            for (day, agent, measure), v in spreads.items()
        ),
        batch_size=BATCH,
    )
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
