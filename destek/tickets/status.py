"""The ticket status machine of DESIGN §4, in one place and free of the database.

Yeni → İnceleniyor → Beklemede → Çözüldü → Kapandı. Everything that moves a ticket asks this
module what the next status is; ``tickets.actions`` applies the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("Yeni")
    OPEN = "open", _("İnceleniyor")
    PENDING = "pending", _("Beklemede")
    RESOLVED = "resolved", _("Çözüldü")
    CLOSED = "closed", _("Kapandı")


ACTIVE = frozenset({Status.NEW, Status.OPEN, Status.PENDING})
DONE = frozenset({Status.RESOLVED, Status.CLOSED})

# Moves a person (agent or admin) may make. `closed` is final; `new` is only ever a start.
ALLOWED: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.OPEN, Status.PENDING, Status.RESOLVED, Status.CLOSED}),
    Status.OPEN: frozenset({Status.PENDING, Status.RESOLVED, Status.CLOSED}),
    Status.PENDING: frozenset({Status.OPEN, Status.RESOLVED, Status.CLOSED}),
    Status.RESOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


class TransitionError(ValueError):
    """A status change the machine does not allow."""


def can_transition(current: str, target: str) -> bool:
    return target in ALLOWED.get(current, frozenset())


def check_transition(current: str, target: str) -> None:
    if not can_transition(current, target):
        raise TransitionError(
            _("“%(current)s” durumundan “%(target)s” durumuna geçilemez.")
            % {"current": Status(current).label, "target": Status(target).label}
        )


def is_reopen(current: str, target: str) -> bool:
    """Leaving `resolved` for active work counts as a reopen (reopen-rate metric)."""
    return current == Status.RESOLVED and target in ACTIVE


def after_agent_reply(current: str) -> str:
    """An agent's reply starts work on a new ticket; other statuses stay as they are."""
    return Status.OPEN if current == Status.NEW else current


def after_claim(current: str) -> str:
    return Status.OPEN if current == Status.NEW else current


@dataclass(frozen=True)
class CustomerReplyOutcome:
    """What a customer's message does to its ticket."""

    status: str  # the ticket's status afterwards (unchanged when follow_up is True)
    reopened: bool = False
    follow_up: bool = False  # open a new ticket linked to this one instead


def after_customer_reply(
    current: str, *, resolved_at: datetime | None, now: datetime, reopen_window: timedelta
) -> CustomerReplyOutcome:
    """DESIGN §4: pending → open; resolved within the window → open and a reopen; a resolved
    ticket past the window or a closed one → a follow-up ticket; otherwise unchanged."""
    if current == Status.CLOSED:
        return CustomerReplyOutcome(status=current, follow_up=True)
    if current == Status.RESOLVED:
        if resolved_at is not None and now - resolved_at <= reopen_window:
            return CustomerReplyOutcome(status=Status.OPEN, reopened=True)
        return CustomerReplyOutcome(status=current, follow_up=True)
    if current == Status.PENDING:
        return CustomerReplyOutcome(status=Status.OPEN)
    return CustomerReplyOutcome(status=current)


def should_auto_close(
    current: str, *, resolved_at: datetime | None, now: datetime, after: timedelta
) -> bool:
    return current == Status.RESOLVED and resolved_at is not None and now - resolved_at >= after
