"""A ticket's due times from its history (destek/sla/compute.py), hand-computed on the default
calendar (Monday–Friday 09:00–18:00 Istanbul) and the default targets of DESIGN §6."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from destek.sla.clock import BusinessClock, Calendar, WallClock
from destek.sla.compute import Targets, TicketClocks, sla_times, stops_from_history

IST = ZoneInfo("Europe/Istanbul")
CLOCK = BusinessClock(Calendar(zone=IST, hours={d: (time(9), time(18)) for d in range(5)}))
P0 = Targets(timedelta(hours=1), timedelta(hours=8))
P1 = Targets(timedelta(hours=4), timedelta(hours=9))
P2 = Targets(timedelta(hours=9), timedelta(hours=27))
P3 = Targets(timedelta(hours=18), None)
CREATED = datetime(2026, 11, 23, 10, 0, tzinfo=IST)  # a Monday


def ist(*args: int) -> datetime:
    return datetime(*args, tzinfo=IST)


def ticket(status="new", first_response_at=None, resolved_at=None, changes=()) -> TicketClocks:
    return TicketClocks(
        created_at=CREATED,
        status=status,
        first_response_at=first_response_at,
        resolved_at=resolved_at,
        stops=stops_from_history(changes),
    )


def test_stops_follow_the_status_history():
    changes = [
        (ist(2026, 11, 23, 11), "open"),
        (ist(2026, 11, 23, 12), "pending"),
        (ist(2026, 11, 24, 10), "open"),
        (ist(2026, 11, 24, 15), "resolved"),
        (ist(2026, 11, 25, 9), "closed"),
    ]
    assert stops_from_history(changes) == (
        (ist(2026, 11, 23, 12), ist(2026, 11, 24, 10)),
        (ist(2026, 11, 24, 15), None),
    )


def test_new_p2_ticket():
    # First response: 9 business hours from Monday 10:00 → Tuesday 10:00; near (80 % = 7 h 12 m)
    # → Monday 17:12. Resolution: 27 h → Mon 8 + Tue 9 + Wed 9 + Thu 1 → Thursday 10:00;
    # near (21 h 36 m) → Mon 8 + Tue 9 + Wed 4 h 36 m → Wednesday 13:36.
    times = sla_times(CLOCK, P2, ticket(), now=CREATED)
    assert times.first_response_due_at == ist(2026, 11, 24, 10, 0)
    assert times.first_response_near_at == ist(2026, 11, 23, 17, 12)
    assert times.resolution_due_at == ist(2026, 11, 26, 10, 0)
    assert times.resolution_near_at == ist(2026, 11, 25, 13, 36)
    assert (times.paused_at, times.paused_seconds) == (None, 0)


def test_p0_runs_around_the_clock():
    times = sla_times(WallClock(), P0, ticket(), now=CREATED)
    assert times.first_response_due_at == ist(2026, 11, 23, 11, 0)
    assert times.first_response_near_at == ist(2026, 11, 23, 10, 48)
    assert times.resolution_due_at == ist(2026, 11, 23, 18, 0)


def test_p3_has_no_resolution_target():
    # Two business days: Monday 10:00 + 18 h → Wednesday 10:00.
    times = sla_times(CLOCK, P3, ticket(), now=CREATED)
    assert times.first_response_due_at == ist(2026, 11, 25, 10, 0)
    assert (times.resolution_due_at, times.resolution_near_at) == (None, None)


def test_priority_change_mid_flight_recomputes_from_creation():
    # The same Monday-10:00 ticket, looked at Monday 11:30 after each change of priority:
    # P2 → due Tuesday 10:00; P1 (4 h) → Monday 14:00; P0 (1 h, clock) → Monday 11:00, past.
    now = ist(2026, 11, 23, 11, 30)
    assert sla_times(CLOCK, P2, ticket(), now).first_response_due_at == ist(2026, 11, 24, 10)
    assert sla_times(CLOCK, P1, ticket(), now).first_response_due_at == ist(2026, 11, 23, 14)
    assert sla_times(WallClock(), P0, ticket(), now).first_response_due_at == ist(2026, 11, 23, 11)


def test_pending_pauses_both_clocks_and_records_the_pause():
    paused = ticket(status="pending", changes=[(ist(2026, 11, 23, 11), "pending")])
    times = sla_times(CLOCK, P1, paused, now=ist(2026, 11, 23, 16))
    assert (times.first_response_due_at, times.resolution_due_at) == (None, None)
    assert (times.paused_at, times.paused_seconds) == (ist(2026, 11, 23, 11), 0)


def test_resuming_adds_the_paused_business_time():
    # P1, pending Monday 11:00 – Tuesday 10:00 (8 business hours paused). First response: 1 h
    # ran before the pause, 3 h left → Tuesday 13:00. Resolution: 8 h left → Tuesday 18:00.
    resumed = ticket(
        status="open",
        changes=[(ist(2026, 11, 23, 11), "pending"), (ist(2026, 11, 24, 10), "open")],
    )
    times = sla_times(CLOCK, P1, resumed, now=ist(2026, 11, 24, 10))
    assert times.first_response_due_at == ist(2026, 11, 24, 13, 0)
    assert times.resolution_due_at == ist(2026, 11, 24, 18, 0)
    assert (times.paused_at, times.paused_seconds) == (None, 8 * 3600)


def test_first_reply_fixes_the_first_response_due_time():
    # Replied Monday 12:00 then pending until Tuesday: the later pause no longer moves the
    # first-response due time, only the resolution one.
    replied = ticket(
        status="open",
        first_response_at=ist(2026, 11, 23, 12),
        changes=[
            (ist(2026, 11, 23, 12), "open"),
            (ist(2026, 11, 23, 13), "pending"),
            (ist(2026, 11, 24, 9), "open"),
        ],
    )
    times = sla_times(CLOCK, P1, replied, now=ist(2026, 11, 24, 9))
    assert times.first_response_due_at == ist(2026, 11, 23, 14, 0)
    # Resolution 9 h: Monday 10–13 ran 3 h, paused 13–18, Tuesday 09:00 + 6 h → 15:00.
    assert times.resolution_due_at == ist(2026, 11, 24, 15, 0)


def test_resolved_ticket_keeps_the_due_time_it_was_measured_against():
    resolved = ticket(
        status="resolved",
        first_response_at=ist(2026, 11, 23, 12),
        resolved_at=ist(2026, 11, 23, 16),
        changes=[(ist(2026, 11, 23, 12), "open"), (ist(2026, 11, 23, 16), "resolved")],
    )
    times = sla_times(CLOCK, P1, resolved, now=ist(2026, 11, 30, 9))
    assert times.resolution_due_at == ist(2026, 11, 24, 10, 0)
    assert times.paused_at is None


def test_reopened_ticket_continues_where_its_clock_stopped():
    # Resolved Monday 16:00 (6 of 9 h used), reopened Wednesday 11:00: 3 h left → 14:00.
    reopened = ticket(
        status="open",
        first_response_at=ist(2026, 11, 23, 12),
        changes=[
            (ist(2026, 11, 23, 12), "open"),
            (ist(2026, 11, 23, 16), "resolved"),
            (ist(2026, 11, 25, 11), "open"),
        ],
    )
    times = sla_times(CLOCK, P1, reopened, now=ist(2026, 11, 25, 11))
    assert times.resolution_due_at == ist(2026, 11, 25, 14, 0)
    # Monday 16–18, Tuesday 9–18, Wednesday 9–11 stood still: 13 business hours.
    assert times.paused_seconds == 13 * 3600


def test_ticket_closed_without_a_reply_needs_no_more_first_response():
    closed = ticket(
        status="closed",
        resolved_at=ist(2026, 11, 23, 10, 30),
        changes=[(ist(2026, 11, 23, 10, 30), "closed")],
    )
    times = sla_times(CLOCK, P1, closed, now=ist(2026, 11, 24, 9))
    assert times.first_response_due_at == ist(2026, 11, 23, 14, 0)
    assert times.paused_at is None
