"""Report periods: whole local days, and the comparison period right before."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from destek.reports.metrics import buckets
from destek.reports.period import Period, period_for
from tests.reports.conftest import IST

TODAY = date(2026, 11, 18)  # a Wednesday


@pytest.mark.parametrize(
    ("key", "first", "last"),
    [
        ("today", date(2026, 11, 18), date(2026, 11, 18)),
        ("7d", date(2026, 11, 12), date(2026, 11, 18)),
        ("30d", date(2026, 10, 20), date(2026, 11, 18)),
        ("90d", date(2026, 8, 21), date(2026, 11, 18)),
        ("this_month", date(2026, 11, 1), date(2026, 11, 18)),
        ("last_month", date(2026, 10, 1), date(2026, 10, 31)),
    ],
)
def test_presets(key, first, last):
    assert period_for(key, TODAY, IST) == Period(first, last, IST, key)


def test_custom_period_is_put_in_order_and_unknown_keys_fall_back_to_30_days():
    custom = period_for("custom", TODAY, IST, date(2026, 3, 9), date(2026, 3, 2))

    assert (custom.first, custom.last) == (date(2026, 3, 2), date(2026, 3, 9))
    assert period_for("custom", TODAY, IST).key == "30d"
    assert period_for("nonsense", TODAY, IST).key == "30d"


def test_previous_period_has_the_same_length_right_before():
    last_month = period_for("last_month", TODAY, IST)

    assert last_month.previous() == Period(date(2026, 8, 31), date(2026, 9, 30), IST)


def test_bounds_are_local_midnights():
    period = period_for("today", TODAY, IST)

    assert period.start == datetime(2026, 11, 17, 21, tzinfo=UTC)
    assert period.end == datetime(2026, 11, 18, 21, tzinfo=UTC)


def test_buckets_are_days_then_weeks_then_months():
    assert len(buckets(period_for("30d", TODAY, IST))) == 30
    weeks = buckets(period_for("90d", TODAY, IST))
    assert (len(weeks), weeks[0], weeks[-1]) == (
        13,
        (date(2026, 8, 21), date(2026, 8, 27)),
        (date(2026, 11, 13), date(2026, 11, 18)),
    )
    year = Period(date(2025, 11, 15), date(2026, 11, 18), IST)
    months = buckets(year)
    assert (len(months), months[0], months[1]) == (
        13,
        (date(2025, 11, 15), date(2025, 11, 30)),
        (date(2025, 12, 1), date(2025, 12, 31)),
    )
