"""Webhook deliveries are written by receivers of signals sent INSIDE the change's transaction:
a change and the deliveries that tell about it are committed together or not at all.

Every ticket action writes a ``TicketEvent`` (the timeline) and every message is a ``Message``
row, so their ``post_save`` signals — sent inside the action's transaction — are the one place
that sees every change, whichever action (or the mail ingest) made it.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from destek.api.webhooks import queue
from destek.api.webhooks.payloads import CHANGE_FIELDS, change_data, message_data, ticket_data
from destek.portal.models import SatisfactionRating
from destek.tickets.models import EventKind, Message, MessageKind, TicketEvent


@receiver(post_save, sender=TicketEvent, dispatch_uid="api-webhook-ticket-event")
def ticket_event_written(sender, instance: TicketEvent, created: bool, **kwargs) -> None:
    if not created or kwargs.get("raw"):
        return
    ticket, workspace_id = instance.ticket, instance.workspace_id
    if instance.kind == EventKind.CREATED:

        def created_data() -> dict:
            first = ticket.messages.order_by("created_at", "pk").first()
            return {"ticket": ticket_data(ticket), "message": first and message_data(first)}

        queue.write(workspace_id, "ticket.created", ticket.pk, created_data)
    elif instance.kind in CHANGE_FIELDS:
        queue.write(workspace_id, "ticket.updated", ticket.pk, lambda: change_data(instance))
        if instance.kind == EventKind.ASSIGNEE:
            queue.write(workspace_id, "ticket.assigned", ticket.pk, lambda: change_data(instance))
    elif instance.kind == EventKind.SLA_BREACH:
        queue.write(
            workspace_id,
            "sla.breached",
            ticket.pk,
            lambda: {
                "ticket": ticket_data(ticket),
                "clock": instance.new_value,  # first_response or resolution
                "due_at": instance.old_value,
            },
        )


def _is_first_message(message: Message) -> bool:
    # No earlier message: an ingest batch may already have written later ones of the ticket.
    return not message.ticket.messages.filter(pk__lt=message.pk).exists()


@receiver(post_save, sender=Message, dispatch_uid="api-webhook-message")
def message_written(sender, instance: Message, created: bool, **kwargs) -> None:
    if not created or kwargs.get("raw"):
        return
    is_note = instance.kind == MessageKind.NOTE
    if not queue.endpoints_for(instance.workspace_id, "message.created", internal=is_note):
        return
    # A ticket's first message arrives with ticket.created; it is not a message.created too.
    if instance.kind == MessageKind.CUSTOMER and _is_first_message(instance):
        return
    queue.write(
        instance.workspace_id,
        "message.created",
        instance.ticket_id,
        lambda: {"ticket": ticket_data(instance.ticket), "message": message_data(instance)},
        internal=is_note,
    )


@receiver(post_save, sender=SatisfactionRating, dispatch_uid="api-webhook-csat")
def rating_written(sender, instance: SatisfactionRating, created: bool, **kwargs) -> None:
    """A customer rated a resolved ticket in the portal (or changed the rating)."""
    if kwargs.get("raw"):
        return
    queue.write(
        instance.workspace_id,
        "csat.received",
        instance.ticket_id,
        lambda: {
            "ticket": ticket_data(instance.ticket),
            "rating": {
                "score": instance.score,
                "comment": instance.comment,
                "changed": not created,
            },
        },
    )
