"""Webhook signatures: HMAC-SHA256 over ``"{timestamp}.{body}"`` with the endpoint's secret.

Headers sent with every delivery (documented in the README):
``Destek-Webhook-Id`` (the delivery), ``Destek-Webhook-Event``, ``Destek-Webhook-Timestamp``
(Unix seconds) and ``Destek-Webhook-Signature: v1=<hex>``. The receiver recomputes the HMAC
and refuses old timestamps, so a captured request can't be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "Destek-Webhook-Signature"
TIMESTAMP_HEADER = "Destek-Webhook-Timestamp"
EVENT_HEADER = "Destek-Webhook-Event"
ID_HEADER = "Destek-Webhook-Id"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def verify(
    secret: str, timestamp: str, body: bytes, header: str, now: int, tolerance: int = 300
) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, int(timestamp), body), header)
