"""Reminding customers of tickets that wait on them (DESIGN §4, issue 4).

A workspace may switch on ``pending_reminder_days``: a ticket that has stood in ``pending`` that
long gets one automatic mail to its customer, once per pending stretch (set pending again later
and a new stretch begins). The mail is an automatic one (``Auto-Submitted``) through the outbox,
carries the ticket's signed Message-ID so the customer's answer threads back into the ticket,
and goes only where the workspace can send now.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from destek.accounts.models import Workspace
from destek.mail import outbox, tokens
from destek.mail.models import OutboundEmail, OutboundKind
from destek.mail.threading import subject_with_code
from destek.tickets.canned import fill_variables
from destek.tickets.models import EventKind, Ticket, TicketEvent
from destek.tickets.status import Status

logger = logging.getLogger(__name__)


def _pending_since() -> Subquery:
    """When the ticket last moved to pending: the start of its current pending stretch."""
    return Subquery(
        TicketEvent.objects.filter(
            ticket=OuterRef("pk"), kind=EventKind.STATUS, new_value=Status.PENDING
        )
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )


def _not_reminded_this_stretch() -> Q:
    return Q(pending_reminded_at__isnull=True) | Q(pending_reminded_at__lt=F("pending_since"))


def due_reminders(workspace: Workspace, now: datetime) -> QuerySet[Ticket]:
    """The workspace's pending tickets whose customer is due a reminder now."""
    days = workspace.pending_reminder_days
    if not days:
        return Ticket.objects.none()
    return (
        Ticket.objects.for_workspace(workspace)
        .filter(status=Status.PENDING)
        .annotate(pending_since=_pending_since())
        .filter(pending_since__lte=now - timedelta(days=days))
        .filter(_not_reminded_this_stretch())
        .select_related("workspace", "customer")
        .order_by("pk")
    )


def _texts(ticket: Ticket) -> tuple[str, str]:
    customer = ticket.customer
    values = {
        "customer.first_name": (customer.name.split() or [customer.email])[0],
        "ticket.code": ticket.code,
        "workspace.name": ticket.workspace.name,
    }
    with translation.override(ticket.workspace.language):
        body = _(
            "Merhaba {{ customer.first_name }},\n\n"
            "{{ ticket.code }} numaralı talebiniz için sizden bir yanıt bekliyoruz. Ek bilgiyi ya "
            "da onayınızı bu e-postayı yanıtlayarak iletebilirsiniz; böylece talebinizi "
            "sonuçlandırabiliriz.\n\nSaygılarımızla,\n{{ workspace.name }}"
        )
    subject = subject_with_code(f"Re: {ticket.subject}", ticket.code)
    return subject, fill_variables(body, values)


def remind(ticket: Ticket, now: datetime) -> OutboundEmail | None:
    """Queue the reminder for one due ticket; None when it cannot go (no sending mailbox) or
    another worker got there first."""
    mailbox = outbox.mailbox_for(ticket)
    if mailbox is None or not mailbox.has_smtp():
        return None
    with transaction.atomic():
        # Claimed by a conditional UPDATE: two workers never remind twice.
        claimed = (
            Ticket.objects.filter(pk=ticket.pk, status=Status.PENDING)
            .annotate(pending_since=_pending_since())
            .filter(_not_reminded_this_stretch())
            .update(pending_reminded_at=now)
        )
        if not claimed:
            return None
        last = (
            OutboundEmail.objects.filter(ticket=ticket, kind=OutboundKind.REPLY)
            .order_by("-pk")
            .values_list("message_id", flat=True)
            .first()
        )
        subject, body = _texts(ticket)
        return outbox.queue_automatic(
            mailbox=mailbox,
            kind=OutboundKind.REMINDER,
            ticket=ticket,
            to=[ticket.customer.email],
            subject=subject,
            body=body,
            message_id=tokens.make_message_id(
                workspace_id=ticket.workspace_id,
                ticket_id=ticket.pk,
                domain=outbox.domain_of(mailbox.address),
            ),
            in_reply_to=last or "",
            references=last or "",
        )


def send_pending_reminders(now: datetime | None = None) -> int:
    """Every workspace's due reminders; returns how many were queued."""
    now = now or timezone.now()
    sent = 0
    workspaces = Workspace.objects.filter(pending_reminder_days__isnull=False).order_by("pk")
    for workspace in workspaces:
        if workspace.is_read_only(now):
            continue
        for ticket in due_reminders(workspace, now):
            try:
                sent += remind(ticket, now) is not None
            except Exception:
                # One broken ticket must not hold back every other customer's reminder.
                logger.exception("pending reminder failed for ticket %s", ticket.pk)
    if sent:
        logger.info("queued %d pending reminders", sent)
    return sent
