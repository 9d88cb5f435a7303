"""Notifications the desk raises by itself: a ticket assigned to you (by someone else or
automatically) and the customer answering your ticket. Both run on commit."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from destek.notifications import kinds
from destek.notifications.services import notify
from destek.tickets.models import EventKind, Message, MessageKind, Ticket

logger = logging.getLogger(__name__)

# Imports and the demo replay old conversations: nobody is told about a day-old message.
FRESH_FOR = timedelta(hours=1)


def assigned(ticket: Ticket) -> None:
    if ticket.assignee_id is None:
        return
    event = (
        ticket.events.filter(kind=EventKind.ASSIGNEE)
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )
    actor = event.actor if event is not None else None
    kind = kinds.ASSIGNED if actor is not None else kinds.ASSIGNED_AUTO
    notify(recipients=[ticket.assignee_id], ticket=ticket, kind=kind, actor=actor)


def customer_replied(ticket: Ticket, message: Message) -> None:
    if message.kind != MessageKind.CUSTOMER or message.author_id is not None:
        return
    if ticket.assignee_id is None or message.created_at < timezone.now() - FRESH_FOR:
        return
    notify(recipients=[ticket.assignee_id], ticket=ticket, kind=kinds.CUSTOMER_REPLIED)


def on_ticket_updated(sender: object, *, ticket: Ticket, changed: list[str], **kw: object) -> None:
    if "assignee" in changed:
        _safely(assigned, ticket)


def on_message_created(sender: object, *, ticket: Ticket, message: Message, **kw: object) -> None:
    _safely(customer_replied, ticket, message)


def _safely(action: Callable[..., None], ticket: Ticket, *args: object) -> None:
    # Runs after the change committed: a failed notice must not turn the request into an error.
    try:
        action(ticket, *args)
    except Exception:
        logger.exception("in-app notification for ticket %s failed", ticket.pk)
