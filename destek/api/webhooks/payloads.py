"""What a webhook says: the JSON body of each event, frozen when the change is written."""

from __future__ import annotations

import json
from typing import Any

from destek.tickets.models import EventKind, Message, Ticket, TicketEvent


def ticket_data(ticket: Ticket) -> dict[str, Any]:
    return {
        "number": ticket.number,
        "code": ticket.code,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
        "category": ticket.category.name if ticket.category_id else None,
        "team": ticket.team.name if ticket.team_id else None,
        "assignee": ticket.assignee.email if ticket.assignee_id else None,
        "customer": {"email": ticket.customer.email, "name": ticket.customer.name},
        "tags": sorted(ticket.tags.values_list("name", flat=True)),
        "created_at": ticket.created_at.isoformat(),
        "updated_at": ticket.updated_at.isoformat(),
    }


# The timeline's event kinds that are changes of a ticket field, named as in the API.
CHANGE_FIELDS = {
    EventKind.STATUS: "status",
    EventKind.PRIORITY: "priority",
    EventKind.CATEGORY: "category",
    EventKind.TAGS: "tags",
    EventKind.ASSIGNEE: "assignee",
    "team": "team",
}


def change_data(event: TicketEvent) -> dict[str, Any]:
    """The ticket as the change left it (some actions write the event before they set the field
    on the ticket, so the new value comes from the event) and the change itself."""
    field = CHANGE_FIELDS[event.kind]
    data = ticket_data(event.ticket)
    if field in {"status", "priority"}:
        data[field] = event.new_value
    elif field in {"category", "team"}:
        data[field] = event.new_value or None
    changes = {field: {"old": event.old_value or None, "new": event.new_value or None}}
    return {"ticket": data, "changes": changes}


def message_data(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "kind": message.kind,
        "text": message.text,
        "author": message.author.email if message.author_id else None,
        "customer": message.customer.email if message.customer_id else None,
        "created_at": message.created_at.isoformat(),
    }


def envelope(event: str, delivery_key: str, created_at: str, data: dict[str, Any]) -> str:
    body = {"event": event, "id": delivery_key, "created_at": created_at, "data": data}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
