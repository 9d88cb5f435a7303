"""Keeping each ticket's SLA due times right: load a workspace's policies and calendar, compute
from the ticket's history, store on the ticket (DESIGN §6).

Recomputing is idempotent and always starts from the ticket's creation, so every relevant change
(created, priority, pending and back, first reply, resolved or closed, a policy or calendar edit)
simply recomputes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from functools import cached_property
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from destek.accounts.models import Workspace
from destek.accounts.settings_cache import remembered
from destek.lib.memo import batch_memoized
from destek.sla.clock import BusinessClock, Calendar, Clock, WallClock
from destek.sla.compute import SlaTimes, TicketClocks, sla_times, stops_from_history
from destek.sla.models import (
    DEFAULT_HOURS,
    DEFAULT_POLICIES,
    BusinessCalendar,
    ClosedDay,
    OpeningHours,
    SlaPolicy,
)
from destek.tickets.models import EventKind, Ticket, TicketEvent

CLOCKS = ("first_response", "resolution")


class SlaSetup:
    """A workspace's policies and calendar, each loaded once on first use."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    @cached_property
    def policies(self) -> dict[str, SlaPolicy]:
        return {p.priority: p for p in SlaPolicy.objects.filter(workspace=self.workspace)}

    @cached_property
    def calendar(self) -> Calendar:
        return load_calendar(self.workspace)

    @classmethod
    def for_page(cls, workspace: Workspace) -> SlaSetup:
        """Policies and calendar as of the workspace row the request loaded, kept per process
        (accounts.settings_cache); jobs use ``SlaSetup(workspace)``."""
        setup = cls(workspace)
        # Filled in where the cached properties would be, from the kept copies.
        setup.__dict__["policies"] = remembered(
            workspace, "sla_policies", lambda: cls(workspace).policies
        )
        setup.__dict__["calendar"] = remembered(
            workspace, "sla_calendar", lambda: load_calendar(workspace)
        )
        return setup

    def policy(self, priority: str) -> SlaPolicy | None:
        return self.policies.get(priority)

    def clock(self, policy: SlaPolicy) -> Clock:
        return BusinessClock(self.calendar) if policy.business_hours else WallClock()


@batch_memoized
def load_calendar(workspace: Workspace) -> Calendar:
    """The workspace's business calendar (read once per ingest batch, once per call outside
    one: the report figures of every ticket of a batch ask for it)."""
    settings = BusinessCalendar.objects.filter(workspace=workspace).first()
    hours = {
        row.weekday: (row.opens, row.closes)
        for row in OpeningHours.objects.filter(workspace=workspace)
    }
    closed = ClosedDay.objects.filter(workspace=workspace).values_list("date", flat=True)
    return Calendar(
        zone=ZoneInfo(workspace.time_zone),
        hours=hours or DEFAULT_HOURS,
        closed_days=frozenset(closed),
        public_holidays=settings.public_holidays if settings else True,
    )


def seed_workspace(sender: object = None, *, workspace: Workspace, **kwargs: object) -> None:
    """DESIGN §6 defaults for a new workspace: Mon–Fri 09:00–18:00 with Turkish public holidays,
    and the four priorities' targets."""
    BusinessCalendar.objects.create(workspace=workspace)
    OpeningHours.objects.bulk_create(
        OpeningHours(workspace=workspace, weekday=day, opens=opens, closes=closes)
        for day, (opens, closes) in DEFAULT_HOURS.items()
    )
    SlaPolicy.objects.bulk_create(
        SlaPolicy(
            workspace=workspace,
            priority=priority,
            first_response_minutes=first,
            resolution_minutes=resolution,
            business_hours=business,
        )
        for priority, (first, resolution, business) in DEFAULT_POLICIES.items()
    )


def _status_changes(tickets: Iterable[int]) -> dict[int, list[tuple[datetime, str]]]:
    changes: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    rows = (
        TicketEvent.objects.filter(ticket_id__in=list(tickets), kind=EventKind.STATUS)
        .order_by("created_at", "id")
        .values_list("ticket_id", "created_at", "new_value")
    )
    for ticket_id, at, status in rows:
        changes[ticket_id].append((at, status))
    return changes


def ticket_clocks(ticket: Ticket, changes: Iterable[tuple[datetime, str]]) -> TicketClocks:
    return TicketClocks(
        created_at=ticket.created_at,
        status=ticket.status,
        first_response_at=ticket.first_response_at,
        resolved_at=ticket.resolved_at,
        stops=stops_from_history(changes),
    )


def _fields(times: SlaTimes | None, now: datetime) -> dict[str, object]:
    if times is None:
        return {
            "first_response_due_at": None,
            "first_response_near_at": None,
            "resolution_due_at": None,
            "resolution_near_at": None,
            "sla_paused_at": None,
            "sla_paused_seconds": 0,
        }
    fields: dict[str, object] = {
        "first_response_due_at": times.first_response_due_at,
        "first_response_near_at": times.first_response_near_at,
        "resolution_due_at": times.resolution_due_at,
        "resolution_near_at": times.resolution_near_at,
        "sla_paused_at": times.paused_at,
        "sla_paused_seconds": times.paused_seconds,
    }
    # A warning or breach is raised once per due time: when a change (a lower priority, a longer
    # target) moves the instant back into the future, it may be raised again when it comes.
    for clock in CLOCKS:
        due, near = fields[f"{clock}_due_at"], fields[f"{clock}_near_at"]
        if due is not None and due > now:
            fields[f"sla_{clock}_breached_at"] = None
        if near is not None and near > now:
            fields[f"sla_{clock}_warned_at"] = None
    return fields


def _times(
    ticket: Ticket, setup: SlaSetup, changes: Iterable[tuple[datetime, str]], now: datetime
) -> SlaTimes | None:
    policy = setup.policy(ticket.priority)
    if policy is None:
        return None
    return sla_times(setup.clock(policy), policy.targets(), ticket_clocks(ticket, changes), now)


def _store(
    ticket: Ticket,
    setup: SlaSetup,
    changes: Iterable[tuple[datetime, str]],
    now: datetime,
) -> SlaTimes | None:
    times = _times(ticket, setup, changes, now)
    fields = _fields(times, now)
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    for name, value in fields.items():
        setattr(ticket, name, value)
    return times


def set_new_ticket_fields(ticket: Ticket, *, now: datetime) -> None:
    """What :func:`recompute` stores for a ticket just created, set on a ticket not yet saved
    (the ingest batch inserts many tickets at once with their due times already in them)."""
    fields = _new_ticket_fields(
        ticket.workspace,
        ticket.priority,
        ticket.status,
        ticket.created_at,
        ticket.first_response_at,
        ticket.resolved_at,
        now,
    )
    for name, value in fields.items():
        setattr(ticket, name, value)


@batch_memoized
def _new_ticket_fields(
    workspace: Workspace,
    priority: str,
    status: str,
    created_at: datetime,
    first_response_at: datetime | None,
    resolved_at: datetime | None,
    now: datetime,
) -> dict[str, object]:
    # Everything a new ticket's due times depend on is in the arguments: the tickets an ingest
    # batch creates at one moment with one priority share one computation.
    ticket = Ticket(
        workspace=workspace,
        priority=priority,
        status=status,
        created_at=created_at,
        first_response_at=first_response_at,
        resolved_at=resolved_at,
    )
    return _fields(_times(ticket, setup_for(workspace), [], now), now)


@batch_memoized
def setup_for(workspace: Workspace) -> SlaSetup:
    """The workspace's SLA setup, loaded once per ingest batch (once per call outside one)."""
    return SlaSetup(workspace)


def recompute(
    ticket: Ticket,
    *,
    now: datetime | None = None,
    setup: SlaSetup | None = None,
    new: bool = False,
) -> SlaTimes | None:
    """Compute and store the ticket's due times; None when its priority has no policy.
    ``new``: the ticket was just created, so it has no status history to read."""
    now = now or timezone.now()
    setup = setup or setup_for(ticket.workspace)
    changes = [] if new else _status_changes([ticket.pk])[ticket.pk]
    return _store(ticket, setup, changes, now)


def on_ticket_written(
    sender: object = None,
    *,
    ticket: Ticket,
    now: datetime | None = None,
    changed: list[str] | None = None,
    **kwargs: object,
) -> None:
    recompute(ticket, now=now, new=changed == ["created"])


@transaction.atomic
def recompute_workspace(workspace: Workspace, *, now: datetime | None = None) -> int:
    """Recompute every active ticket of the workspace (after a policy or calendar edit)."""
    now = now or timezone.now()
    setup = SlaSetup(workspace)
    tickets = list(Ticket.objects.for_workspace(workspace).active().select_related("workspace"))
    changes = _status_changes(ticket.pk for ticket in tickets)
    for ticket in tickets:
        _store(ticket, setup, changes[ticket.pk], now)
    return len(tickets)


@transaction.atomic
def save_policies(
    *,
    workspace: Workspace,
    targets: Mapping[str, tuple[int, int | None, bool]],
    now: datetime | None = None,
) -> int:
    """Set the targets per priority (first response minutes, resolution minutes or None, in
    business hours) and recompute the open tickets; returns how many were recomputed."""
    for priority, (first, resolution, business) in targets.items():
        SlaPolicy.objects.update_or_create(
            workspace=workspace,
            priority=priority,
            defaults={
                "first_response_minutes": first,
                "resolution_minutes": resolution,
                "business_hours": business,
            },
        )
    return recompute_workspace(workspace, now=now)


@transaction.atomic
def save_hours(
    *,
    workspace: Workspace,
    hours: Mapping[int, tuple[time, time]],
    public_holidays: bool,
    now: datetime | None = None,
) -> int:
    """Replace the weekly opening hours and the holiday switch; recompute the open tickets."""
    if not hours:
        raise ValueError("at least one weekday must be open")
    BusinessCalendar.objects.update_or_create(
        workspace=workspace, defaults={"public_holidays": public_holidays}
    )
    OpeningHours.objects.filter(workspace=workspace).delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(workspace=workspace, weekday=day, opens=opens, closes=closes)
        for day, (opens, closes) in sorted(hours.items())
    )
    return recompute_workspace(workspace, now=now)


@transaction.atomic
def add_closed_day(
    *, workspace: Workspace, day: date, name: str = "", now: datetime | None = None
) -> ClosedDay:
    closed, _created = ClosedDay.objects.update_or_create(
        workspace=workspace, date=day, defaults={"name": name.strip()[:120]}
    )
    recompute_workspace(workspace, now=now)
    return closed


@transaction.atomic
def remove_closed_day(*, closed_day: ClosedDay, now: datetime | None = None) -> None:
    workspace = closed_day.workspace
    closed_day.delete()
    recompute_workspace(workspace, now=now)
