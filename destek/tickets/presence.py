"""Who else has a ticket open, and who is typing a reply to it (collision detection).

Kept in the Django cache — local memory in the embedded default, Redis when ``REDIS_URL`` is
set, so web processes on several machines see each other. The ticket page pings every few
seconds; someone who stops pinging drops out after ``PRESENCE_SECONDS``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache

from destek.accounts.models import User

PRESENCE_SECONDS = 30
TYPING_SECONDS = 15


@dataclass(frozen=True)
class Viewer:
    user_id: int
    name: str
    typing: bool


def _key(ticket_id: int) -> str:
    return f"presence:ticket:{ticket_id}"


def touch(ticket_id: int, user: User, *, typing: bool, now: float | None = None) -> list[Viewer]:
    """Record that ``user`` has the ticket open (and is typing when ``typing``); returns the
    other people who have it open."""
    now = time.time() if now is None else now
    entries = {
        uid: entry
        for uid, entry in (cache.get(_key(ticket_id)) or {}).items()
        if entry["seen"] > now - PRESENCE_SECONDS and uid != user.pk
    }
    mine = {"name": user.display_name, "seen": now, "typing": now if typing else 0.0}
    # A lost update between two pings heals itself at the next ping: no lock needed.
    cache.set(_key(ticket_id), {**entries, user.pk: mine}, PRESENCE_SECONDS * 2)
    return sorted(
        (
            Viewer(uid, entry["name"], entry["typing"] > now - TYPING_SECONDS)
            for uid, entry in entries.items()
        ),
        key=lambda viewer: viewer.name,
    )


def leave(ticket_id: int, user: User) -> None:
    entries = cache.get(_key(ticket_id)) or {}
    if entries.pop(user.pk, None) is not None:
        cache.set(_key(ticket_id), entries, PRESENCE_SECONDS * 2)
