"""Everything a workspace holds as one JSON document (DESIGN §10): a backup, or with a customer
given, the data a KVKK access request is owed.

The keys of DESIGN §10 are a promise to operators' scripts: they are always there (more may be
added, none renamed). The document is written piece by piece, tickets in chunks with their
messages, attachments, mail and events prefetched, so memory and the number of queries stay
bounded however large the workspace is.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db.models import Prefetch, QuerySet

from destek.accounts import audit
from destek.accounts.models import Workspace
from destek.mail.models import InboundEmail, InboundStatus, OutboundEmail, OutboundKind
from destek.tickets.models import Attachment, Customer, Message, Ticket, TicketEvent

CHUNK = 200
ZIP_NAME = "attachments.zip"
_UNSAFE = re.compile(r"[^\w.()+-]+")

Write = Callable[[str], None]


@dataclass
class ExportSummary:
    customers: int = 0
    tickets: int = 0
    attachments: int = 0
    missing_files: list[str] = field(default_factory=list)


def export_workspace(
    workspace: Workspace,
    write: Write,
    *,
    customer_email: str | None = None,
    files_dir: Path | None = None,
) -> ExportSummary:
    """Write the export of ``workspace`` (only ``customer_email``'s data when given) through
    ``write``; with ``files_dir`` the attachments' bytes go to ``files_dir/attachments.zip``."""
    summary = ExportSummary()
    email = customer_email.strip().lower() if customer_email else None
    archive = zipfile.ZipFile(files_dir / ZIP_NAME, "w") if files_dir else None
    try:
        write("{" + _pair("workspace", _workspace(workspace)))
        write(', "customers": ')
        summary.customers = _array(write, (_customer(c) for c in _customers(workspace, email)))
        write(', "tickets": ')
        summary.tickets = _array(
            write,
            (_ticket(t, workspace.prefix, archive, summary) for t in _tickets(workspace, email)),
        )
        write(', "outbox": ')
        _array(write, (_outbound(o, workspace.prefix) for o in _outbox(workspace, email)))
        write(', "quarantine": ')
        _array(write, (_quarantined(i) for i in _quarantine(workspace, email)))
        write("}\n")
    finally:
        if archive is not None:
            archive.close()
    audit.record(
        "workspace.exported",
        workspace=workspace,
        scope="customer" if email else "workspace",
        with_files=files_dir is not None,
    )
    return summary


def _pair(key: str, value: object) -> str:
    return f"{json.dumps(key)}: {_dump(value)}"


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _array(write: Write, items: Iterator[dict]) -> int:
    write("[")
    count = 0
    for item in items:
        write(("\n  " if count == 0 else ",\n  ") + _dump(item))
        count += 1
    write("\n]" if count else "]")
    return count


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


# --- Queries ----------------------------------------------------------------------------------


def _customers(workspace: Workspace, email: str | None) -> Iterator[Customer]:
    query = Customer.objects.for_workspace(workspace).select_related("organization")
    if email:
        query = query.filter(email=email)
    return query.order_by("pk").iterator(chunk_size=2000)


def _ticket_query(workspace: Workspace, email: str | None) -> QuerySet[Ticket]:
    query = Ticket.objects.for_workspace(workspace)
    return query.filter(customer__email=email) if email else query


def _tickets(workspace: Workspace, email: str | None) -> Iterator[Ticket]:
    replies = OutboundEmail.objects.filter(kind=OutboundKind.REPLY).select_related("mailbox")
    messages = (
        Message.objects.select_related("author", "customer", "envelope")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("pk")),
            Prefetch("outbound", queryset=replies, to_attr="replies"),
        )
        .order_by("created_at", "pk")
    )
    return (
        _ticket_query(workspace, email)
        .select_related("customer", "assignee", "category", "follow_up_of")
        .prefetch_related(
            Prefetch("messages", queryset=messages),
            Prefetch("events", queryset=TicketEvent.objects.select_related("actor")),
            "tags",
            "participants",
        )
        .order_by("number")
        .iterator(chunk_size=CHUNK)
    )


def _outbox(workspace: Workspace, email: str | None) -> Iterator[OutboundEmail]:
    query = OutboundEmail.objects.filter(workspace=workspace).select_related("ticket")
    if email:
        query = query.filter(ticket__in=_ticket_query(workspace, email))
    return query.order_by("pk").iterator(chunk_size=2000)


def _quarantine(workspace: Workspace, email: str | None) -> Iterator[InboundEmail]:
    query = (
        InboundEmail.objects.open_mail()
        .filter(workspace=workspace, status=InboundStatus.QUARANTINED)
        .select_related("mailbox")
    )
    if not email:
        yield from query.order_by("pk").iterator(chunk_size=500)
        return
    # Quarantined mail has no customer yet: the customer's is the mail that names them.
    needle = email.encode()
    for inbound in query.order_by("pk").iterator(chunk_size=100):
        if needle in inbound.raw.lower():
            yield inbound


# --- Rows -------------------------------------------------------------------------------------


def _workspace(workspace: Workspace) -> dict:
    return {"slug": workspace.slug, "name": workspace.name, "prefix": workspace.prefix}


def _customer(customer: Customer) -> dict:
    return {
        "email": customer.email,
        "name": customer.name,
        "phone": customer.phone,
        "organization": customer.organization.name if customer.organization else None,
        "notes": customer.notes,
        "created_at": _when(customer.created_at),
    }


def _ticket(
    ticket: Ticket, prefix: str, archive: zipfile.ZipFile | None, summary: ExportSummary
) -> dict:
    code = f"{prefix}-{ticket.number}"
    return {
        "code": code,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
        "category": ticket.category.name if ticket.category else None,
        "assignee": ticket.assignee.email if ticket.assignee else None,
        "customer": ticket.customer.email,
        "created_at": _when(ticket.created_at),
        "resolved_at": _when(ticket.resolved_at),
        "closed_at": _when(ticket.closed_at),
        "follow_up_of": f"{prefix}-{ticket.follow_up_of.number}" if ticket.follow_up_of else None,
        "tags": [tag.name for tag in ticket.tags.all()],
        "participants": [p.email for p in ticket.participants.all()],
        "messages": [_message(m, code, archive, summary) for m in ticket.messages.all()],
        "events": [_event(event) for event in ticket.events.all()],
    }


def _message(
    message: Message, code: str, archive: zipfile.ZipFile | None, summary: ExportSummary
) -> dict:
    envelope = getattr(message, "envelope", None)
    sent = message.replies[0] if message.replies else None
    if envelope is not None:
        sender, subject, message_id = envelope.from_address, envelope.subject, envelope.message_id
        reply_to, to, cc = envelope.reply_to, envelope.to, envelope.cc
    elif sent is not None:
        sender = sent.mailbox.address if sent.mailbox else ""
        subject, message_id, reply_to, to, cc = sent.subject, sent.message_id, [], sent.to, sent.cc
    else:
        sender, subject, message_id, reply_to, to, cc = _author(message), "", "", [], [], []
    return {
        "kind": message.kind,
        "from": sender,
        "author": message.author.email if message.author else None,
        "reply_to": reply_to,
        "to": to,
        "cc": cc,
        "subject": subject,
        "text": message.text,
        "visible_text": message.visible_text or message.text,
        "html": message.html,
        "created_at": _when(message.created_at),
        "message_id": message_id,
        "attachments": [_attachment(a, code, archive, summary) for a in message.attachments.all()],
    }


def _author(message: Message) -> str:
    if message.customer is not None:
        return message.customer.email
    return message.author.email if message.author else ""


def _attachment(
    attachment: Attachment, code: str, archive: zipfile.ZipFile | None, summary: ExportSummary
) -> dict:
    row = {
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "inline": attachment.inline,
    }
    if archive is not None:
        row["path"] = _archive(attachment, code, archive, summary)
    return row


def _archive(
    attachment: Attachment, code: str, archive: zipfile.ZipFile, summary: ExportSummary
) -> str | None:
    """Copy the file into the zip (streamed); ``None`` when storage has lost it."""
    name = f"{code}/{attachment.pk}-{_UNSAFE.sub('_', attachment.filename)[:100]}"
    try:
        with attachment.file.open("rb") as source, archive.open(name, "w") as target:
            while chunk := source.read(1 << 20):
                target.write(chunk)
    except (FileNotFoundError, OSError):
        summary.missing_files.append(name)
        return None
    summary.attachments += 1
    return name


def _event(event: TicketEvent) -> dict:
    return {
        "kind": event.kind,
        "actor": event.actor.email if event.actor else None,
        "old": event.old_value,
        "new": event.new_value,
        "created_at": _when(event.created_at),
    }


def _outbound(outbound: OutboundEmail, prefix: str) -> dict:
    return {
        "ticket": f"{prefix}-{outbound.ticket.number}" if outbound.ticket else None,
        "kind": outbound.kind,
        "to": outbound.to,
        "cc": outbound.cc,
        "subject": outbound.subject,
        "message_id": outbound.message_id,
        "in_reply_to": outbound.in_reply_to,
        "status": outbound.status,
        "attempts": outbound.attempts,
        "last_error": outbound.last_error,
        "created_at": _when(outbound.created_at),
        "sent_at": _when(outbound.sent_at),
    }


def _quarantined(inbound: InboundEmail) -> dict:
    return {
        "mailbox": inbound.mailbox.address,
        "error": inbound.error,
        "sha256": inbound.sha256,
        "size": inbound.size,
        "received_at": _when(inbound.received_at),
        "attempts": inbound.attempts,
    }
