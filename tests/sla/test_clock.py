"""Business time on a calendar (destek/sla/clock.py), against cases worked out by hand.

The calendar is the default one: Monday–Friday 09:00–18:00 Europe/Istanbul with Turkish public
holidays. Every expected value below was counted on paper, not produced by the code under test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from destek.sla.clock import (
    BusinessClock,
    Calendar,
    NoBusinessHours,
    WallClock,
    add_business_time,
    add_clock_time,
    business_time_between,
    clock_time_between,
    due_at,
    paused_time,
    turkish_holidays,
)

IST = ZoneInfo("Europe/Istanbul")
BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS_9_TO_18 = {day: (time(9), time(18)) for day in range(5)}


def calendar(**kwargs) -> Calendar:
    kwargs.setdefault("zone", IST)
    kwargs.setdefault("hours", WEEKDAYS_9_TO_18)
    return Calendar(**kwargs)


def ist(*args: int) -> datetime:
    return datetime(*args, tzinfo=IST)


def hours(value: float) -> timedelta:
    return timedelta(hours=value)


# --- adding business time ----------------------------------------------------------------------


def test_an_hour_inside_the_working_day():
    assert add_business_time(ist(2026, 11, 23, 10, 0), 60, calendar()) == ist(2026, 11, 23, 11, 0)


def test_ticket_at_1730_with_one_hour_target_is_due_0930_next_working_day():
    # Tuesday 17:30–18:00 uses 30 minutes; the other 30 run from Wednesday 09:00.
    assert add_business_time(ist(2026, 11, 24, 17, 30), 60, calendar()) == ist(2026, 11, 25, 9, 30)


def test_a_target_ending_at_closing_time_is_due_at_closing_time():
    assert add_business_time(ist(2026, 11, 23, 17, 0), 60, calendar()) == ist(2026, 11, 23, 18, 0)


def test_weekend_is_skipped():
    # Friday 17:00–18:00 is one hour; Saturday and Sunday count nothing; Monday 09:00 + 1 h.
    assert add_business_time(ist(2026, 11, 27, 17, 0), 120, calendar()) == ist(2026, 11, 30, 10, 0)


def test_ticket_arriving_on_saturday_starts_counting_on_monday_morning():
    assert add_business_time(ist(2026, 11, 28, 12, 0), 60, calendar()) == ist(2026, 11, 30, 10, 0)


def test_ticket_arriving_before_opening_starts_counting_at_opening():
    assert add_business_time(ist(2026, 11, 23, 7, 0), 30, calendar()) == ist(2026, 11, 23, 9, 30)


def test_republic_day_and_its_half_day_eve():
    # 28 Ekim 2026 (Wednesday) closes at 13:00: 12:00–13:00 is one hour. 29 Ekim Cumhuriyet
    # Bayramı (Thursday) is closed. Friday 30 Ekim 09:00 + the second hour = 10:00.
    assert add_business_time(ist(2026, 10, 28, 12, 0), 120, calendar()) == ist(2026, 10, 30, 10, 0)


def test_ramazan_bayrami_2026():
    # Arife Thursday 19 March 11:00–13:00 = 2 h; Friday 20 March Bayram, then the weekend;
    # the remaining 7 h of a 9-hour business day run Monday 23 March 09:00–16:00.
    due = add_business_time(ist(2026, 3, 19, 11, 0), 9 * 60, calendar())
    assert due == ist(2026, 3, 23, 16, 0)


def test_kurban_bayrami_2026():
    # Arife Tuesday 26 May 09:00–13:00 = 4 h; Bayram Wednesday 27 – Saturday 30 May, Sunday;
    # the remaining 5 h run Monday 1 June 09:00–14:00.
    due = add_business_time(ist(2026, 5, 26, 9, 0), 9 * 60, calendar())
    assert due == ist(2026, 6, 1, 14, 0)


def test_the_package_gives_the_2026_religious_holidays_and_their_eves():
    full, half = turkish_holidays(2026)
    ramazan = {date(2026, 3, 20), date(2026, 3, 21), date(2026, 3, 22)}
    kurban = {date(2026, 5, 27), date(2026, 5, 28), date(2026, 5, 29), date(2026, 5, 30)}
    assert ramazan | kurban | {date(2026, 10, 29)} <= full
    assert half == {date(2026, 3, 19), date(2026, 5, 26), date(2026, 10, 28)}


def test_half_day_span_ends_at_13():
    span = calendar().open_span(date(2026, 10, 28))
    assert span == (
        datetime(2026, 10, 28, 6, 0, tzinfo=UTC),
        datetime(2026, 10, 28, 10, 0, tzinfo=UTC),
    )


def test_extra_closed_day_is_skipped():
    closed = calendar(closed_days=frozenset({date(2026, 11, 30)}))
    assert add_business_time(ist(2026, 11, 27, 17, 0), 120, closed) == ist(2026, 12, 1, 10, 0)


def test_public_holidays_can_be_switched_off():
    working = calendar(public_holidays=False)
    assert add_business_time(ist(2026, 10, 29, 9, 0), 60, working) == ist(2026, 10, 29, 10, 0)


def test_zero_minutes_is_the_start_itself():
    assert add_business_time(ist(2026, 11, 28, 12, 0), 0, calendar()) == ist(2026, 11, 28, 12, 0)


def test_a_calendar_without_open_days_is_refused():
    with pytest.raises(NoBusinessHours):
        calendar(hours={})


def test_a_calendar_closed_for_over_a_year_cannot_reach_a_due_time():
    every_monday = frozenset(date(2026, 11, 23) + timedelta(weeks=n) for n in range(60))
    closed = calendar(hours={0: (time(9), time(18))}, closed_days=every_monday)
    with pytest.raises(NoBusinessHours):
        add_business_time(ist(2026, 11, 23, 8, 0), 60, closed)


# --- measuring business time -------------------------------------------------------------------


def test_business_time_over_a_weekend():
    # Friday 16:00–18:00 and Monday 09:00–10:00.
    assert business_time_between(ist(2026, 11, 27, 16), ist(2026, 11, 30, 10), calendar()) == hours(
        3
    )


def test_business_time_over_republic_day():
    # Wednesday 09:00–13:00 (eve), Thursday closed, Friday 09:00–18:00.
    assert business_time_between(ist(2026, 10, 28, 9), ist(2026, 10, 30, 18), calendar()) == hours(
        13
    )


def test_business_time_outside_hours_is_zero():
    assert business_time_between(ist(2026, 11, 23, 19), ist(2026, 11, 24, 8), calendar()) == hours(
        0
    )
    assert business_time_between(ist(2026, 11, 24), ist(2026, 11, 23), calendar()) == hours(0)


# --- time zones --------------------------------------------------------------------------------


def test_istanbul_has_no_daylight_saving_switch():
    # Europe switches to summer time on Sunday 29 March 2026; Istanbul stays UTC+3, so Friday
    # 17:00 + 2 business hours is Monday 10:00 local = 07:00 UTC.
    due = add_business_time(ist(2026, 3, 27, 17, 0), 120, calendar())
    assert due == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    assert ist(2026, 3, 27, 17).utcoffset() == ist(2026, 3, 30, 10).utcoffset() == hours(3)


def test_a_zone_with_daylight_saving_counts_real_minutes():
    # Berlin: Friday 17:00 CET is 16:00 UTC; Monday 10:00 CEST is 08:00 UTC.
    berlin = calendar(zone=BERLIN, public_holidays=False)
    start = datetime(2026, 3, 27, 17, 0, tzinfo=BERLIN)
    assert add_business_time(start, 120, berlin) == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    # Around the clock, the night of the switch has 23 hours: 24 h after Saturday 12:00 CET is
    # Sunday 13:00 CEST.
    saturday = datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN)
    assert add_clock_time(saturday, 24 * 60) == datetime(2026, 3, 29, 13, 0, tzinfo=BERLIN)


# --- around the clock --------------------------------------------------------------------------


def test_around_the_clock_counts_nights_and_weekends():
    assert add_clock_time(ist(2026, 11, 27, 23, 30), 60) == ist(2026, 11, 28, 0, 30)
    assert clock_time_between(ist(2026, 11, 27, 17), ist(2026, 11, 30, 9)) == hours(64)


# --- pauses ------------------------------------------------------------------------------------


def test_pause_adds_the_paused_business_time():
    # Created Monday 10:00 with a 4-hour target; pending Monday 11:00 – Tuesday 10:00.
    # Before the pause 1 h ran; the remaining 3 h run Tuesday 10:00–13:00.
    clock = BusinessClock(calendar())
    stops = [(ist(2026, 11, 23, 11), ist(2026, 11, 24, 10))]
    due = due_at(clock, ist(2026, 11, 23, 10), hours(4), stops)
    assert due == ist(2026, 11, 24, 13, 0)
    # The same as the target plus the paused business time (Mon 11–18 = 7 h, Tue 9–10 = 1 h).
    paused = paused_time(clock, stops, ist(2026, 11, 24, 12))
    assert paused == hours(8)
    assert add_business_time(ist(2026, 11, 23, 10), hours(4) + paused, calendar()) == due


def test_pause_starting_after_the_due_time_does_not_move_it():
    stops = [(ist(2026, 11, 23, 12), ist(2026, 11, 23, 15))]
    assert due_at(WallClock(), ist(2026, 11, 23, 10), hours(1), stops) == ist(2026, 11, 23, 11)


def test_open_pause_with_time_left_has_no_due_time():
    stops = [(ist(2026, 11, 23, 10, 30), None)]
    assert due_at(WallClock(), ist(2026, 11, 23, 10), hours(1), stops) is None


def test_clock_stopped_for_good_inside_a_pause_keeps_the_due_time_of_that_moment():
    # Pending from 11:00 and resolved at 15:00 while still pending: 1 h had run, 3 h were left,
    # so at 15:00 the due time stood at 18:00.
    stops = [(ist(2026, 11, 23, 11), None)]
    clock = BusinessClock(calendar())
    due = due_at(clock, ist(2026, 11, 23, 10), hours(4), stops, until=ist(2026, 11, 23, 15))
    assert due == ist(2026, 11, 23, 18)


def test_two_pauses_on_the_wall_clock():
    # 10:00 + 2 h with pauses 10:30–11:00 and 11:15–12:15: 30 + 15 + 75 minutes → 13:30.
    stops = [
        (ist(2026, 11, 23, 10, 30), ist(2026, 11, 23, 11)),
        (ist(2026, 11, 23, 11, 15), ist(2026, 11, 23, 12, 15)),
    ]
    assert due_at(WallClock(), ist(2026, 11, 23, 10), hours(2), stops) == ist(2026, 11, 23, 13, 30)
