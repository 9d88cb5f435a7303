"""The portal's rate limits: fixed-window counters (``destek.lib.window_count``) per address
or IP."""

from __future__ import annotations

import hashlib

from destek.lib.window_count import count_in_window


def _key(scope: str, value: str) -> str:
    # Hashed: addresses and IPs never sit in the cache in clear.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"portal:{scope}:{digest}"


def hit(scope: str, value: str, *, limit: int, window: int) -> bool:
    """Count one attempt; False once more than ``limit`` were made within ``window`` seconds."""
    return count_in_window(_key(scope, value), window) <= limit


def client_ip(request) -> str:
    """The address the request came from (the proxy's own header is trusted only behind one)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
