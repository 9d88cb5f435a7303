"""A ticket's SLA due times from its history: which spans the clocks stood still, and when the
first response and the resolution are due (DESIGN §6). Pure: no database, no Django models.

The clocks run while a ticket is `new` or `open`. `pending` (waiting on the customer or a third
party) pauses them; a resolved ticket's clock stands too, so a reopened ticket continues where it
stopped instead of counting the days it sat resolved. Due times are always computed from the
ticket's creation under the policy in force now, so a priority change mid-flight gives the due
time the new target would have given from the start.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from destek.sla.clock import Clock, Stop, due_at, paused_time

RUNNING = frozenset({"new", "open"})
DONE = frozenset({"resolved", "closed"})
# Near breach: this share of the target has been used (issue 4: 80 %).
WARN_SHARE = 0.8


@dataclass(frozen=True)
class Targets:
    """One priority's promise: the first response and (optionally) the resolution."""

    first_response: timedelta
    resolution: timedelta | None


@dataclass(frozen=True)
class TicketClocks:
    """The facts of a ticket that its SLA clocks depend on."""

    created_at: datetime
    status: str
    first_response_at: datetime | None
    resolved_at: datetime | None
    stops: tuple[Stop, ...]


@dataclass(frozen=True)
class SlaTimes:
    first_response_due_at: datetime | None
    first_response_near_at: datetime | None
    resolution_due_at: datetime | None
    resolution_near_at: datetime | None
    paused_at: datetime | None  # the start of the pause the clocks stand in now
    paused_seconds: int  # finished pauses, in the policy's time (business or clock seconds)


def stops_from_history(changes: Iterable[tuple[datetime, str]]) -> tuple[Stop, ...]:
    """The spans the clocks stood still, from the ticket's status changes ``(when, new
    status)`` in order; a ticket starts `new`, so its clocks start running."""
    stops: list[Stop] = []
    started: datetime | None = None
    for at, status in changes:
        if status not in RUNNING and started is None:
            started = at
        elif status in RUNNING and started is not None:
            stops.append((started, at))
            started = None
    if started is not None:
        stops.append((started, None))
    return tuple(stops)


def _due_and_near(
    clock: Clock, ticket: TicketClocks, target: timedelta | None, until: datetime | None
) -> tuple[datetime | None, datetime | None]:
    if target is None:
        return None, None
    due = due_at(clock, ticket.created_at, target, ticket.stops, until)
    near = due_at(clock, ticket.created_at, target * WARN_SHARE, ticket.stops, until)
    return due, near


def sla_times(clock: Clock, targets: Targets, ticket: TicketClocks, now: datetime) -> SlaTimes:
    """Due and near-breach instants of both clocks, and the pause bookkeeping."""
    done_at = ticket.resolved_at if ticket.status in DONE else None
    # A ticket finished without any reply needs no first response any more.
    first_until = ticket.first_response_at or done_at
    first_due, first_near = _due_and_near(clock, ticket, targets.first_response, first_until)
    resolution_due, resolution_near = _due_and_near(clock, ticket, targets.resolution, done_at)
    current = ticket.stops[-1] if ticket.stops and ticket.stops[-1][1] is None else None
    paused_at = current[0] if current is not None and done_at is None else None
    paused = paused_time(clock, ticket.stops, done_at or now)
    return SlaTimes(
        first_response_due_at=first_due,
        first_response_near_at=first_near,
        resolution_due_at=resolution_due,
        resolution_near_at=resolution_near,
        paused_at=paused_at,
        paused_seconds=int(paused.total_seconds()),
    )
