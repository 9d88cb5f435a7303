"""Everything held about one customer (KVKK right of access), as one zip: the JSON of
``destek export --customer`` (DESIGN §10), the attachments' bytes and the original mails."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO

from django.http import HttpRequest

from destek.accounts import audit
from destek.accounts.models import User
from destek.mail.export import export_workspace
from destek.mail.models import InboundEmail, MessageEnvelope
from destek.privacy.bundle import Bundle, safe_name
from destek.tickets.models import Attachment, Customer, Message


@dataclass
class CustomerExport:
    tickets: int
    attachments: int
    emails: int


def _messages(customer: Customer):
    return Message.objects.filter(ticket__customer=customer) | Message.objects.filter(
        customer=customer
    )


def export_customer(
    customer: Customer,
    target: BinaryIO,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> CustomerExport:
    bundle = Bundle(target)
    text = io.StringIO()
    summary = export_workspace(customer.workspace, text.write, customer_email=customer.email)
    bundle.add("veri.json", text.getvalue().encode("utf-8"))
    messages = _messages(customer).distinct()
    prefix = customer.workspace.prefix
    attachments = Attachment.objects.filter(message__in=messages).select_related("message__ticket")
    count = 0
    for attachment in attachments.order_by("pk"):
        code = f"{prefix}-{attachment.message.ticket.number}"
        with attachment.file.open("rb") as handle:
            bundle.add(
                f"ekler/{code}/{attachment.pk}-{safe_name(attachment.filename)}", handle.read()
            )
        count += 1
    emails = 0
    inbound_ids = MessageEnvelope.objects.filter(
        ticket_message__in=messages, inbound__isnull=False
    ).values_list("inbound_id", flat=True)
    for inbound in InboundEmail.objects.filter(pk__in=inbound_ids).order_by("pk"):
        if inbound.raw:
            bundle.add(f"e-postalar/{inbound.pk}.eml", bytes(inbound.raw))
            emails += 1
    bundle.close()
    audit.record(
        "customer.exported",
        workspace=customer.workspace,
        actor=actor,
        target=f"#{customer.pk}",
        request=request,
        tickets=summary.tickets,
        attachments=count,
        emails=emails,
    )
    return CustomerExport(tickets=summary.tickets, attachments=count, emails=emails)
