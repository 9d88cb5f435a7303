"""Erasing a customer (KVKK/GDPR right to erasure) and scrubbing tickets' contents.

What identifies or describes the person goes: names and addresses, subjects, message bodies,
attachments, the raw mail as received, envelope headers, portal links and survey comments.
What the business needs for its numbers stays: ticket rows and numbers, statuses, priorities,
categories, assignees, timestamps, message kinds and times, events. There is no way back: no
copy is kept, only an audit entry saying who erased what and when.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest

from destek.accounts import audit
from destek.accounts.models import User
from destek.mail.models import (
    InboundEmail,
    InboundRaw,
    MessageEnvelope,
    OutboundEmail,
    Participant,
)
from destek.tickets.models import Attachment, Customer, Message, Ticket

logger = logging.getLogger(__name__)

REDACTED = "[KVKK: silindi]"


@dataclass
class ScrubReport:
    tickets: list[str] = field(default_factory=list)
    messages: int = 0
    attachments: int = 0
    raw_emails: int = 0
    files: list[str] = field(default_factory=list)  # storage names, removed after commit


def erased_address(customer_id: int) -> str:
    return f"silindi-{customer_id}@kvkk.invalid"


def email_fingerprint(email: str) -> str:
    """What the audit log keeps of an erased address: enough to answer "was X erased?"."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _scrub_messages(messages: Iterable[Message], report: ScrubReport) -> None:
    ids = [message.pk for message in messages]
    if not ids:
        return
    report.messages += Message.objects.filter(pk__in=ids).update(
        text=REDACTED, html="", visible_text=""
    )
    attachments = Attachment.objects.filter(message_id__in=ids)
    report.files += [name for name in attachments.values_list("file", flat=True) if name]
    report.attachments += attachments.delete()[1].get(Attachment._meta.label, 0)
    MessageEnvelope.objects.filter(ticket_message_id__in=ids).update(
        from_name="", from_address="", reply_to=[], to=[], cc=[], subject=""
    )
    inbound_ids = set(
        MessageEnvelope.objects.filter(
            ticket_message_id__in=ids, inbound__isnull=False
        ).values_list("inbound_id", flat=True)
    ) | set(InboundEmail.objects.filter(ticket_message_id__in=ids).values_list("pk", flat=True))
    # The row stays (with its hash) so a copy still on the IMAP server is known and not
    # imported again; the bytes go.
    report.raw_emails += InboundEmail.objects.filter(pk__in=inbound_ids).update(error="")
    InboundRaw.objects.filter(inbound_id__in=inbound_ids).delete()
    OutboundEmail.objects.filter(ticket_message_id__in=ids).update(
        to=[], cc=[], subject=REDACTED, body="", last_error=""
    )


def scrub_tickets(tickets: Iterable[Ticket], report: ScrubReport | None = None) -> ScrubReport:
    """Remove the contents of these tickets; numbers and metrics stay. Call inside a
    transaction; remove ``report.files`` from storage after it commits."""
    report = report or ScrubReport()
    tickets = list(tickets)
    ids = [ticket.pk for ticket in tickets]
    report.tickets += [ticket.code for ticket in tickets]
    Ticket.objects.filter(pk__in=ids).update(subject=REDACTED)
    _scrub_messages(Message.objects.filter(ticket_id__in=ids), report)
    # Counted by the bytes still kept (a mail erased before has none left).
    kept = InboundRaw.objects.filter(inbound__ticket_id__in=ids)
    erased = InboundEmail.objects.filter(pk__in=kept.values("inbound_id"))
    erased.update(error="")
    report.raw_emails += kept.delete()[1].get(InboundRaw._meta.label, 0)
    OutboundEmail.objects.filter(ticket_id__in=ids).update(
        to=[], cc=[], subject=REDACTED, body="", last_error=""
    )
    Participant.objects.filter(ticket_id__in=ids).delete()
    _scrub_portal(ticket_ids=ids)
    return report


def _scrub_portal(*, ticket_ids: list[int] | None = None, customer: Customer | None = None) -> None:
    from destek.portal.models import MagicLink, SatisfactionRating

    if ticket_ids is not None:
        SatisfactionRating.objects.filter(ticket_id__in=ticket_ids).update(comment="")
    if customer is not None:
        MagicLink.objects.filter(customer=customer).delete()
        SatisfactionRating.objects.filter(customer=customer).update(comment="")


def remove_files(names: Iterable[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("an erased attachment's file could not be removed")


def reindex(ticket_ids: list[int]) -> None:
    """The search index holds words of the tickets: write their (now empty) documents again."""
    from destek.search.index import reindex as search_reindex

    search_reindex(ticket_ids)


def erase_customer(
    *, customer: Customer, actor: User | None, request: HttpRequest | None = None
) -> ScrubReport:
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        workspace = customer.workspace
        fingerprint = email_fingerprint(customer.email)
        tickets = list(Ticket.objects.filter(customer=customer).select_related("workspace"))
        report = scrub_tickets(tickets)
        # What they wrote on other people's tickets (as a Cc) goes too.
        elsewhere = Message.objects.filter(customer=customer).exclude(
            ticket_id__in=[t.pk for t in tickets]
        )
        touched = set(elsewhere.values_list("ticket_id", flat=True))
        _scrub_messages(elsewhere, report)
        Participant.objects.filter(workspace=workspace, email__iexact=customer.email).delete()
        _scrub_portal(customer=customer)
        customer.email = erased_address(customer.pk)
        customer.name = ""
        customer.phone = ""
        customer.notes = ""
        customer.organization = None
        customer.save()
        audit.record(
            "customer.erased",
            workspace=workspace,
            actor=actor,
            target=f"#{customer.pk}",
            request=request,
            email_sha256=fingerprint,
            tickets=report.tickets,
            messages=report.messages,
            attachments=report.attachments,
            raw_emails=report.raw_emails,
        )
        ticket_ids = [t.pk for t in tickets] + sorted(touched)
        files = list(report.files)
        transaction.on_commit(lambda: remove_files(files))
        transaction.on_commit(lambda: reindex(ticket_ids))
    return report
