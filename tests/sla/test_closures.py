"""The public holidays listed on the settings page (destek/sla/closures.py)."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

from django.utils import translation

from destek.sla.clock import Calendar
from destek.sla.closures import Holiday, upcoming_holidays

CALENDAR = Calendar(zone=ZoneInfo("Europe/Istanbul"), hours={0: (time(9), time(18))})


def test_holidays_of_autumn_2026_in_turkish():
    with translation.override("tr"):
        found = upcoming_holidays(CALENDAR, date(2026, 10, 1), date(2026, 12, 31))
    assert found == [
        Holiday(date(2026, 10, 28), "Cumhuriyet Bayramı (saat 13.00'ten)", time(13)),
        Holiday(date(2026, 10, 29), "Cumhuriyet Bayramı"),
    ]


def test_holidays_are_named_in_english_for_an_english_reader():
    with translation.override("en"):
        found = upcoming_holidays(CALENDAR, date(2026, 3, 19), date(2026, 3, 20))
    assert [(h.day, h.name) for h in found] == [
        (date(2026, 3, 19), "Eid al-Fitr (from 1pm)"),
        (date(2026, 3, 20), "Eid al-Fitr"),
    ]


def test_no_holidays_listed_when_the_calendar_ignores_them():
    ignoring = Calendar(CALENDAR.zone, CALENDAR.hours, public_holidays=False)
    assert upcoming_holidays(ignoring, date(2026, 1, 1), date(2026, 12, 31)) == []
