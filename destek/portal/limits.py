"""Fixed-window counters in the cache (Redis in production), for the portal's rate limits."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _key(scope: str, value: str) -> str:
    # Hashed: addresses and IPs never sit in the cache in clear.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"portal:{scope}:{digest}"


def hit(scope: str, value: str, *, limit: int, window: int) -> bool:
    """Count one attempt; False once more than ``limit`` were made within ``window`` seconds."""
    key = _key(scope, value)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def client_ip(request) -> str:
    """The address the request came from (the proxy's own header is trusted only behind one)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
