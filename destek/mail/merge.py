"""The mail side of a merge or a split (tickets.signals.messages_moved, inside its transaction):
the envelopes, raw mail and outbox rows of the moved messages follow them, so threading by
Message-ID finds the ticket they now belong to; a merge also carries the conversation's
participants, and the merged ticket's customer, over to the surviving ticket."""

from __future__ import annotations

from destek.mail.models import InboundEmail, MessageEnvelope, OutboundEmail, Participant
from destek.tickets.models import Ticket


def on_messages_moved(
    sender, source: Ticket, target: Ticket, message_ids: list[int], merged: bool, **kwargs
) -> None:
    MessageEnvelope.objects.filter(ticket_message_id__in=message_ids).update(ticket=target)
    InboundEmail.objects.filter(ticket_message_id__in=message_ids).update(ticket=target)
    OutboundEmail.objects.filter(ticket_message_id__in=message_ids).update(ticket=target)
    if not merged:
        return
    # Copied, not moved: the merged ticket's own participants may still quote its code.
    people = {p.email.lower(): p.name for p in Participant.objects.filter(ticket=source)}
    if source.customer_id != target.customer_id:
        people.setdefault(source.customer.email.lower(), source.customer.name)
    people.pop(target.customer.email.lower(), None)
    Participant.objects.bulk_create(
        [
            Participant(workspace_id=target.workspace_id, ticket=target, email=email, name=name)
            for email, name in people.items()
        ],
        ignore_conflicts=True,
    )
