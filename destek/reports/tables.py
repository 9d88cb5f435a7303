"""Tables of numbers: the same rows fill the page, the CSV file and the weekly summary.

A cell is a raw value; the column's kind says how to show it. Durations are seconds (shown as
hours and minutes, exported as minutes), percentages are numbers 0–100.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

COUNT, DURATION, PERCENT, TEXT, DATE, CHANGE = (
    "count",
    "duration",
    "percent",
    "text",
    "date",
    "change",
)


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = COUNT


@dataclass
class Table:
    slug: str
    title: str
    columns: Sequence[Column]
    rows: list[list[object]] = field(default_factory=list)

    def display_rows(self) -> list[list[str]]:
        return [
            [show(value, column.kind) for value, column in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([c.title for c in self.columns])
        for row in self.rows:
            writer.writerow([export(v, c.kind) for v, c in zip(row, self.columns, strict=True)])
        return out.getvalue()


def duration(seconds: float | None) -> str:
    """3 sa 20 dk, 2 g 4 sa, 45 dk; "–" when nothing was measured."""
    if seconds is None:
        return "–"
    minutes = round(seconds / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(d)d g %(h)d sa") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d sa %(m)d dk") % {"h": hours, "m": minutes}
    return _("%(m)d dk") % {"m": minutes}


def change(now: float | None, before: float | None) -> float | None:
    """Percent change against the previous period; None when there is nothing to compare."""
    if now is None or not before:
        return None
    return round(100 * (now - before) / before, 1)


def show(value: object, kind: str) -> str:
    if kind == DURATION:
        return duration(value)  # type: ignore[arg-type]
    if value is None:
        return "–"
    if kind == PERCENT:
        return f"%{value:.1f}".replace(".", ",")
    if kind == CHANGE:
        sign = "+" if value > 0 else ""  # type: ignore[operator]
        return f"{sign}{value:.1f}%".replace(".", ",")
    if kind == DATE and isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if kind == COUNT:
        return f"{value:,}".replace(",", ".")
    return str(value)


def export(value: object, kind: str) -> object:
    if value is None:
        return ""
    if kind == DURATION:
        return round(value / 60, 1)  # type: ignore[operator]
    if isinstance(value, date):
        return value.isoformat()
    return value
