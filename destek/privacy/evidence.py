"""The evidence bundle of one ticket (chargebacks, disputes): the PDF transcript, every mail as
it was received or sent (.eml), the attachments, and a SHA-256 manifest over all of them."""

from __future__ import annotations

import logging
from typing import BinaryIO

from django.http import HttpRequest
from django.utils import timezone

from destek.accounts import audit
from destek.accounts.models import User
from destek.mail.compose import as_bytes, compose
from destek.mail.models import InboundEmail, MessageEnvelope, OutboundEmail, OutboundStatus
from destek.privacy.bundle import Bundle, safe_name
from destek.privacy.transcript import transcript_pdf
from destek.tickets.models import Attachment, Ticket

logger = logging.getLogger(__name__)


def evidence_filename(ticket: Ticket) -> str:
    return f"{ticket.code}-kanit.zip"


def write_evidence(
    ticket: Ticket, target: BinaryIO, *, actor: User, request: HttpRequest | None = None
) -> list[str]:
    """Write the bundle to ``target``; returns the names inside (manifest last)."""
    pdf = transcript_pdf(ticket, generated_by=actor.email)  # first: it may lack its font
    bundle = Bundle(target)
    bundle.add(f"{ticket.code}-dokum.pdf", pdf)
    public = ticket.messages.public()
    inbound_ids = MessageEnvelope.objects.filter(
        ticket_message__in=public, inbound__isnull=False
    ).values_list("inbound_id", flat=True)
    for inbound in InboundEmail.objects.filter(pk__in=inbound_ids).order_by("received_at", "pk"):
        if inbound.raw:
            bundle.add(f"e-postalar/gelen-{inbound.pk}.eml", bytes(inbound.raw))
    sent = OutboundEmail.objects.filter(ticket=ticket, status=OutboundStatus.SENT)
    for outbound in sent.select_related("mailbox", "ticket__customer").order_by("pk"):
        try:
            message = compose(outbound, now=outbound.sent_at or outbound.created_at)
        except Exception:  # a mailbox deleted since: the transcript still has the text
            logger.warning("sent mail %s could not be rebuilt for evidence", outbound.pk)
            continue
        bundle.add(f"e-postalar/giden-{outbound.pk}.eml", as_bytes(message))
    attachments = Attachment.objects.filter(message__in=public).order_by("pk")
    for attachment in attachments:
        with attachment.file.open("rb") as handle:
            bundle.add(f"ekler/{attachment.pk}-{safe_name(attachment.filename)}", handle.read())
    bundle.close()
    audit.record(
        "ticket.evidence_exported",
        workspace=ticket.workspace,
        actor=actor,
        target=ticket.code,
        request=request,
        at=timezone.now().isoformat(),
    )
    return [name for _, name in bundle.sums] + ["SHA256SUMS"]
