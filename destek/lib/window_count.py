"""Fixed-window counters in the cache (Redis in production): the rate limits of automatic mail
(``destek.mail.guard``) and of the portal (``destek.portal.limits``)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

if TYPE_CHECKING:
    from redis import Redis


def count_in_window(key: str, seconds: int) -> int:
    """Count one more under ``key``; the count starts at 1 with the first of a window of
    ``seconds`` and is forgotten when the window ends."""
    backend = caches["default"]  # the backend itself (``cache`` is a proxy to it)
    if isinstance(backend, RedisCache):
        return _count_on_redis(backend, key, seconds)
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1


# Start the window if there is none, then count: one round trip where Django's add and incr
# take three (incr asks whether the key exists first). Keys do not expire while a script runs,
# so the count never lands on a key without its window.
_COUNT_SCRIPT = """
redis.call('SET', KEYS[1], 0, 'NX', 'EX', ARGV[1])
return redis.call('INCR', KEYS[1])
"""


def _count_on_redis(backend: RedisCache, key: str, seconds: int) -> int:
    full_key = backend.make_and_validate_key(key)
    # Django's Redis cache keeps integers as plain numbers, so its get and decr read what the
    # script wrote.
    return int(_writer(backend).eval(_COUNT_SCRIPT, 1, full_key, seconds))


# The client of each cache backend's write server, made once: Django makes a new one (over
# the same connection pool) for every call, which cost as much as the round trip itself.
_writers: WeakKeyDictionary[object, Redis] = WeakKeyDictionary()


def _writer(backend: RedisCache) -> Redis:
    connections = backend._cache
    client = _writers.get(connections)
    if client is None:
        client = _writers[connections] = connections.get_client(write=True)
    return client
