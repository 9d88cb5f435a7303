"""Signed ids that tie outgoing mail to its ticket (DESIGN §5, threading rules 1 and 2).

Every mail Destek sends carries a Message-ID and a short body token that name the ticket and
carry an HMAC, so a reply can be threaded even when a provider rewrites Message-IDs, and nobody
can forge an id that lands mail in someone else's ticket.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from functools import lru_cache

from django.conf import settings
from django.utils.crypto import constant_time_compare

_SALT = "destek.mail.tokens"
_MESSAGE_ID = re.compile(r"^destek\.(\d+)\.(\d+)\.([0-9a-z]+)\.([0-9a-f]{20})@", re.IGNORECASE)
_BODY_TOKEN = re.compile(r"\bref:destek-(\d+)-(\d+)-([0-9a-f]{12})\b", re.IGNORECASE)


def _sign(value: str, length: int) -> str:
    # django.utils.crypto.salted_hmac(_SALT, value, algorithm="sha256"), whose key is derived
    # from the secret once per SECRET_KEY here instead of once per call.
    signer = _keyed(settings.SECRET_KEY).copy()
    signer.update(value.encode())
    return signer.hexdigest()[:length]


@lru_cache(maxsize=4)
def _keyed(secret: str) -> hmac.HMAC:
    key = hashlib.sha256((_SALT + secret).encode()).digest()
    return hmac.new(key, digestmod=hashlib.sha256)


def make_message_id(*, workspace_id: int, ticket_id: int, domain: str) -> str:
    """A new Message-ID (without ``<>``) that names the ticket: unique, signed."""
    nonce = secrets.token_hex(6)
    core = f"destek.{workspace_id}.{ticket_id}.{nonce}"
    return f"{core}.{_sign(core, 20)}@{domain}"


def ticket_of_message_id(message_id: str) -> tuple[int, int] | None:
    """``(workspace_id, ticket_id)`` when the id is one Destek signed, else ``None``."""
    match = _MESSAGE_ID.match(message_id.strip("<> "))
    if not match:
        return None
    workspace_id, ticket_id, nonce, signature = match.groups()
    core = f"destek.{workspace_id}.{ticket_id}.{nonce}"
    if not constant_time_compare(signature.lower(), _sign(core, 20)):
        return None
    return int(workspace_id), int(ticket_id)


def make_body_token(*, workspace_id: int, ticket_id: int) -> str:
    """The token hidden in the body of every outgoing mail, e.g. ``ref:destek-3-1042-9f…``."""
    core = f"{workspace_id}-{ticket_id}"
    return f"ref:destek-{core}-{_sign('body.' + core, 12)}"


def tickets_of_body(text: str) -> list[tuple[int, int]]:
    """Every validly signed ``(workspace_id, ticket_id)`` token in ``text``, in order."""
    found = []
    for workspace_id, ticket_id, signature in _BODY_TOKEN.findall(text):
        core = f"{workspace_id}-{ticket_id}"
        if constant_time_compare(signature.lower(), _sign("body." + core, 12)):
            pair = (int(workspace_id), int(ticket_id))
            if pair not in found:
                found.append(pair)
    return found
