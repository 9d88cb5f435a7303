"""Report periods: whole calendar days in the workspace's time zone (DESIGN §8).

A period is ``first`` to ``last`` inclusive; "today" and "last N days" include today. The
comparison period is the same number of days right before it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

PRESETS = {
    "today": _("Bugün"),
    "7d": _("Son 7 gün"),
    "30d": _("Son 30 gün"),
    "90d": _("Son 90 gün"),
    "this_month": _("Bu ay"),
    "last_month": _("Geçen ay"),
    "custom": _("Özel"),
}
DEFAULT = "30d"
MAX_DAYS = 366 * 2


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    zone: ZoneInfo
    key: str = "custom"

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=self.zone)

    @property
    def end(self) -> datetime:
        """The first instant after the period (midnight after ``last``)."""
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=self.zone)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def label(self) -> str:
        return str(PRESETS[self.key])

    def previous(self) -> Period:
        last = self.first - timedelta(days=1)
        return replace(self, first=last - timedelta(days=self.days - 1), last=last, key="custom")


def period_for(
    key: str, today: date, zone: ZoneInfo, first: date | None = None, last: date | None = None
) -> Period:
    """The period a preset names, seen from ``today``; ``custom`` takes ``first`` and ``last``
    (swapped when given backwards, capped at two years)."""
    if key == "today":
        return Period(today, today, zone, key)
    if key in ("7d", "30d", "90d"):
        return Period(today - timedelta(days=int(key[:-1]) - 1), today, zone, key)
    if key == "this_month":
        return Period(today.replace(day=1), today, zone, key)
    if key == "last_month":
        last_day = today.replace(day=1) - timedelta(days=1)
        return Period(last_day.replace(day=1), last_day, zone, key)
    if key == "custom" and first and last:
        first, last = min(first, last), max(first, last)
        return Period(max(first, last - timedelta(days=MAX_DAYS - 1)), last, zone, key)
    return period_for(DEFAULT, today, zone)
