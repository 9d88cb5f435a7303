"""Spam protection for the public form without a third-party service: a honeypot field, a
signed start time (a bot that posts within seconds of loading is refused) and rate limits."""

from __future__ import annotations

import time

from django.core import signing

_SALT = "destek.portal.form-started"
# People need longer than this to type a subject and a description; scripts do not.
MIN_SECONDS = 3
# A form kept open longer than this is stale: the customer reloads it (nothing typed is lost
# since the page is shown again with its values).
MAX_SECONDS = 24 * 3600
PER_IP = (10, 3600)
PER_ADDRESS = (5, 3600)


def started_token(now: float | None = None) -> str:
    return signing.dumps(int(now if now is not None else time.time()), salt=_SALT)


def too_fast_or_forged(token: str, now: float | None = None) -> bool:
    """True when the start time is missing, forged, too recent or too old."""
    try:
        started = signing.loads(token or "", salt=_SALT)
    except signing.BadSignature:
        return True
    if not isinstance(started, int):
        return True
    elapsed = (now if now is not None else time.time()) - started
    return not MIN_SECONDS <= elapsed <= MAX_SECONDS
