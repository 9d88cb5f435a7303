"""PostgreSQL's timestamptz values come through psycopg's C loader, exactly as Django's own
Python loader would give them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg.pq import Format

from destek.lib.postgres import UtcTimestamptzLoader

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        # Nothing to load on SQLite; CI's PostgreSQL pass runs these.
        pytest.skip("needs PostgreSQL (its timestamptz loader)")
    connection.ensure_connection()
    return connection


def _load(texts: list[str], *, djangos: bool) -> list[datetime]:
    with connection.cursor() as cursor:
        if djangos:
            register_tzloader(connection.timezone, cursor.cursor)
        cursor.execute(
            "SELECT value::timestamptz FROM unnest(%s::text[]) WITH ORDINALITY AS t(value, n)"
            " ORDER BY n",
            [texts],
        )
        return [row[0] for row in cursor.fetchall()]


def test_the_connection_loads_timestamptz_with_the_fast_loader(postgres):
    adapters = connection.connection.adapters
    oid = adapters.types["timestamptz"].oid
    assert adapters.get_loader(oid, Format.TEXT) is UtcTimestamptzLoader
    with connection.cursor() as cursor:
        # Django's cursor set-up compares its time zone with the loader's and keeps ours.
        assert cursor.cursor.adapters.get_loader(oid, Format.TEXT) is UtcTimestamptzLoader


EDGES = [
    "1969-07-20 20:17:40.123456+00",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
    "2016-09-07 00:00:00+03",  # Türkiye's last clock change
    "2026-03-29 03:30:00+03",
    "2024-02-29 12:00:00.5-05:30",
]


def test_the_fast_loader_gives_what_djangos_gives(postgres):
    ours, djangos = _load(EDGES, djangos=False), _load(EDGES, djangos=True)
    assert ours == djangos
    assert all(value.tzinfo is UTC for value in ours + djangos)
    assert ours[0] == datetime(1969, 7, 20, 20, 17, 40, 123456, tzinfo=UTC)
    assert ours[-1] == datetime(2024, 2, 29, 17, 30, 0, 500000, tzinfo=UTC)


OFFSETS = [UTC, timezone(timedelta(hours=3)), timezone(-timedelta(hours=9, minutes=30))]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.sampled_from(OFFSETS),
    )
)
def test_any_instant_loads_the_same_both_ways(postgres, moment):
    text = moment.isoformat(sep=" ")
    ours, djangos = _load([text], djangos=False), _load([text], djangos=True)
    assert ours == djangos == [moment.astimezone(UTC)]
