"""The public holidays a calendar closes on, named in the reader's language, for the settings
page: an admin sees exactly which days the SLA clocks will skip."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import holidays
from django.utils import translation
from holidays.constants import HALF_DAY, PUBLIC

from destek.sla.clock import HALF_DAY_CLOSES, Calendar

# The package's names for Turkey exist in these languages; Destek's "en" is its "en_US".
PACKAGE_LANGUAGES = {"tr": "tr", "en": "en_US"}


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str
    closes: time | None = None  # set for a half day: open until then


def upcoming_holidays(calendar: Calendar, start: date, end: date) -> list[Holiday]:
    """Public holidays and half days in [start, end], in date order; none when the calendar
    ignores public holidays."""
    if not calendar.public_holidays:
        return []
    language = PACKAGE_LANGUAGES.get((translation.get_language() or "tr")[:2], "tr")
    years = list(range(start.year, end.year + 1))
    found = holidays.country_holidays(
        "TR", years=years, categories=(PUBLIC, HALF_DAY), language=language
    )
    half = holidays.country_holidays("TR", years=years, categories=(HALF_DAY,))
    return [
        Holiday(day, name, HALF_DAY_CLOSES if day in half else None)
        for day, name in sorted(found.items())
        if start <= day <= end
    ]
