"""Business time: adding working time to an instant and measuring it between two (DESIGN §6).

Pure computation, no database: a :class:`Calendar` is built from a workspace's settings by
``sla.services`` and handed in. Every instant is compared and subtracted in UTC, because Python
subtracts two datetimes of the same zone by their wall clocks; that would miscount an hour across
a daylight-saving switch in zones that still have one (Istanbul has had none since 2016).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from holidays.constants import HALF_DAY

# Imported with this module, not on the first due time: the package loads its Turkish tables
# in about a tenth of a second, which the first mail of a worker would otherwise wait for.
from holidays.countries.turkey import Turkey

# Turkish half days (arife) end at 13:00: the package names them "… (saat 13.00'ten)".
HALF_DAY_CLOSES = time(13, 0)
# A calendar open on no day in a whole year would make every due time infinite.
MAX_CLOSED_RUN = 400


class NoBusinessHours(ValueError):
    """The calendar has no open hour to count on."""


@lru_cache(maxsize=128)
def turkish_holidays(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """Turkey's public holidays of ``year`` (religious ones included) and its half days."""
    full = Turkey(years=year)
    half = Turkey(years=year, categories=(HALF_DAY,))
    return frozenset(full), frozenset(half)


@dataclass(frozen=True, eq=False)
class Calendar:
    """When a workspace works: opening hours per weekday (Monday = 0; a missing weekday is
    closed), Turkish public holidays when ``public_holidays`` is on, and extra closed days."""

    zone: ZoneInfo
    hours: Mapping[int, tuple[time, time]]
    closed_days: frozenset[date] = field(default_factory=frozenset)
    public_holidays: bool = True
    # open_span per day, worked out once: a calendar lives for one request or ingest batch,
    # whose due times step through the same few days again and again.
    _spans: dict[date, tuple[datetime, datetime] | None] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        if not self.hours:
            raise NoBusinessHours("no weekday has opening hours")
        for weekday, (opens, closes) in self.hours.items():
            if not 0 <= weekday <= 6 or opens >= closes:
                raise ValueError(f"bad opening hours for weekday {weekday}: {opens}–{closes}")

    def open_span(self, day: date) -> tuple[datetime, datetime] | None:
        """The day's working hours as UTC instants, or None when the day is closed."""
        try:
            return self._spans[day]
        except KeyError:
            span = self._spans[day] = self._open_span(day)
            return span

    def _open_span(self, day: date) -> tuple[datetime, datetime] | None:
        hours = self.hours.get(day.weekday())
        if hours is None or day in self.closed_days:
            return None
        opens, closes = hours
        if self.public_holidays:
            full, half = turkish_holidays(day.year)
            if day in full:
                return None
            if day in half:
                closes = min(closes, HALF_DAY_CLOSES)
                if opens >= closes:
                    return None
        return (
            datetime.combine(day, opens, tzinfo=self.zone).astimezone(UTC),
            datetime.combine(day, closes, tzinfo=self.zone).astimezone(UTC),
        )

    def spans_from(self, instant: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working spans that end after ``instant``, in order, starting on its local day."""
        day = instant.astimezone(self.zone).date()
        closed_run = 0
        while True:
            span = self.open_span(day)
            if span is None:
                closed_run += 1
                if closed_run > MAX_CLOSED_RUN:
                    raise NoBusinessHours(f"no open day within {MAX_CLOSED_RUN} days of {day}")
            else:
                closed_run = 0
                if span[1] > instant:
                    yield span
            day += timedelta(days=1)


def _as_delta(amount: float | timedelta) -> timedelta:
    delta = amount if isinstance(amount, timedelta) else timedelta(minutes=amount)
    if delta < timedelta(0):
        raise ValueError("time to add must not be negative")
    return delta


def add_business_time(start: datetime, minutes: float | timedelta, calendar: Calendar) -> datetime:
    """The instant when ``minutes`` of working time have passed since ``start`` (UTC).

    Time runs only inside working hours: a ticket at 17:30 with a 60-minute target on a
    09:00–18:00 calendar is due 09:30 on the next working day. A target that ends exactly at
    closing time is due at closing time, not at the next opening.
    """
    remaining = _as_delta(minutes)
    cursor = start.astimezone(UTC)
    if not remaining:
        return cursor
    for opens, closes in calendar.spans_from(cursor):
        begin = max(opens, cursor)
        available = closes - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
    raise AssertionError("spans_from never ends")  # pragma: no cover


def business_time_between(start: datetime, end: datetime, calendar: Calendar) -> timedelta:
    """Working time inside [start, end); zero when ``end`` is not after ``start``."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    total = timedelta(0)
    if end <= start:
        return total
    for opens, closes in calendar.spans_from(start):
        if opens >= end:
            break
        total += min(closes, end) - max(opens, start)
    return total


def add_clock_time(start: datetime, minutes: float | timedelta) -> datetime:
    """Around the clock: every minute counts, nights, weekends and holidays too."""
    return start.astimezone(UTC) + _as_delta(minutes)


def clock_time_between(start: datetime, end: datetime) -> timedelta:
    return max(end.astimezone(UTC) - start.astimezone(UTC), timedelta(0))


class Clock(Protocol):
    """How an SLA policy counts time: in business hours or around the clock."""

    business_hours: bool

    def add(self, start: datetime, amount: timedelta) -> datetime: ...

    def between(self, start: datetime, end: datetime) -> timedelta: ...


@dataclass(frozen=True)
class WallClock:
    business_hours: bool = False

    def add(self, start: datetime, amount: timedelta) -> datetime:
        return add_clock_time(start, amount)

    def between(self, start: datetime, end: datetime) -> timedelta:
        return clock_time_between(start, end)


@dataclass(frozen=True, eq=False)
class BusinessClock:
    calendar: Calendar
    business_hours: bool = True

    def add(self, start: datetime, amount: timedelta) -> datetime:
        return add_business_time(start, amount, self.calendar)

    def between(self, start: datetime, end: datetime) -> timedelta:
        return business_time_between(start, end, self.calendar)


# A span in which the clock stood still; the end is None while it still stands.
Stop = tuple[datetime, datetime | None]


def due_at(
    clock: Clock,
    start: datetime,
    target: timedelta,
    stops: tuple[Stop, ...] | list[Stop] = (),
    until: datetime | None = None,
) -> datetime | None:
    """When ``target`` of running time will have passed since ``start``, the clock standing
    still during ``stops`` (sorted, not overlapping).

    That is the target plus the time paused before it runs out: a pause that starts after the
    due time does not move it. ``until`` is when the clock was stopped for good (first reply,
    resolution); pauses from then on are left out, so the answer is the due time as it stood
    then. None while the clock stands in a pause with time left: the due time depends on when
    the pause ends.
    """
    cursor, remaining = start.astimezone(UTC), target
    for stop_start, stop_end in stops:
        if until is not None and stop_start >= until:
            break
        running = clock.between(cursor, stop_start)
        if running >= remaining:
            return clock.add(cursor, remaining)
        remaining -= running
        if until is not None and (stop_end is None or stop_end >= until):
            cursor = max(cursor, until.astimezone(UTC))
            break
        if stop_end is None:
            return None
        cursor = max(cursor, stop_end.astimezone(UTC))
    return clock.add(cursor, remaining)


def paused_time(clock: Clock, stops: tuple[Stop, ...] | list[Stop], end: datetime) -> timedelta:
    """The time the clock stood still in pauses that ended, counted up to ``end``."""
    total = timedelta(0)
    for stop_start, stop_end in stops:
        if stop_end is not None and stop_start < end:
            total += clock.between(stop_start, min(stop_end, end))
    return total
