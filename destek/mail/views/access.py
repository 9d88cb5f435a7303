"""Loading mail objects for a request, always scoped to ``request.workspace`` (set by the
permission layer): an object of another workspace is not found (404), never forbidden."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from destek.mail.models import InboundEmail, Mailbox, OutboundEmail
from destek.tickets.access import get_ticket_for
from destek.tickets.models import Message


def get_mailbox_for(request: HttpRequest, mailbox_id: int) -> Mailbox:
    return get_object_or_404(Mailbox, workspace=request.workspace, pk=mailbox_id)


def get_inbound_for(request: HttpRequest, inbound_id: int) -> InboundEmail:
    return get_object_or_404(
        InboundEmail.objects.select_related("mailbox"), workspace=request.workspace, pk=inbound_id
    )


def get_emailed_message_for(request: HttpRequest, number: int, message_id: int) -> Message:
    """A message of the ticket that came in by email (it has a stored raw original)."""
    ticket = get_ticket_for(request, number)
    return get_object_or_404(
        Message.objects.select_related("envelope__inbound"),
        ticket=ticket,
        pk=message_id,
        envelope__inbound__isnull=False,
    )


def get_outbound_for(request: HttpRequest, number: int, outbound_id: int) -> OutboundEmail:
    """A mail of the ticket's outbox: the number must match too, so a link can't be re-pointed
    at another ticket's mail."""
    ticket = get_ticket_for(request, number)
    return get_object_or_404(
        OutboundEmail.objects.select_related("ticket_message"),
        workspace=request.workspace,
        ticket=ticket,
        pk=outbound_id,
    )
