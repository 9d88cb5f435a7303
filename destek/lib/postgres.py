"""PostgreSQL connection set-up that Django's backend leaves slow.

Django loads every ``timestamptz`` value through a subclass of psycopg's *pure-Python* loader
(it relabels the result with the connection's time zone), so each value is parsed with regular
expressions in Python: about a thousand values on a queue page. The connection's session time
zone is UTC (Django sets it so), where psycopg's C loader already returns exactly what Django's
would — an aware datetime in ``datetime.timezone.utc`` — so that loader is used instead.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import psycopg
from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg.abc import AdaptContext, Buffer
from psycopg.adapt import Loader
from psycopg.pq import Format


@cache
def _c_loader() -> type:
    # The default loader psycopg registers: its C implementation when psycopg[binary] or
    # psycopg[c] is installed, the Python one otherwise (then nothing is gained, nothing lost).
    oid = psycopg.adapters.types["timestamptz"].oid
    return psycopg.adapters.get_loader(oid, Format.TEXT)


class UtcTimestamptzLoader(Loader):
    """psycopg's own ``timestamptz`` loader (final in C, so wrapped rather than subclassed),
    with the ``timezone`` attribute Django's cursor set-up compares: equal to Django's, so it
    registers nothing over it."""

    timezone = UTC

    def __init__(self, oid: int, context: AdaptContext | None = None) -> None:
        super().__init__(oid, context)
        # The wrapped loader's bound method: the row maker calls straight into C.
        self.load = _c_loader()(oid, context).load  # type: ignore[method-assign]

    def load(self, data: Buffer) -> datetime:  # replaced per instance in __init__
        raise NotImplementedError


def use_fast_loaders(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    """``connection_created`` receiver: on a PostgreSQL connection whose session time zone is
    UTC, load ``timestamptz`` with psycopg's C loader."""
    if connection.vendor != "postgresql" or not settings.USE_TZ:
        return
    if connection.timezone is not UTC:  # a TIME_ZONE in the database settings: Django's way
        return
    raw = connection.connection
    if raw.info.parameter_status("TimeZone") != "UTC":
        return
    raw.adapters.register_loader("timestamptz", UtcTimestamptzLoader)
