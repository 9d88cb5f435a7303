"""Agent notifications by mail (DESIGN §5): a new ticket waits in the unassigned queue, or a
customer answered a ticket assigned to me.

They go out through the ticket's mailbox like every other mail, marked automatic, each in its
reader's language, and only to staff who work tickets (admins and agents — never the owner,
never a customer). They say no more than needed: the tracking code and a link; the content is
behind the login. Their Message-IDs are not signed for the ticket, so an agent's answer (or an
out-of-office) to a notification can never thread into the customer's conversation.

Loops are the danger here: an agent's out-of-office answering a notification arrives in the
support mailbox as a new ticket, which would notify every agent again. So nothing is notified
about mail that is automatic, comes from our own staff or our own addresses, is old (imports, the
demo), or comes from a sender who already caused :data:`guard.AUTO_MAIL_PER_HOUR` this hour.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from destek.accounts.models import Membership, User
from destek.mail import guard, outbox
from destek.mail.models import Mailbox, MessageEnvelope, OutboundEmail, OutboundKind
from destek.mail.parse import parse_email
from destek.tickets.models import Message, MessageKind, Ticket

logger = logging.getLogger(__name__)

# Older news is no news: history replayed by an import or by ``destek demo`` notifies nobody.
FRESH_FOR = timedelta(hours=1)


def _why_not(ticket: Ticket, message: Message) -> str | None:
    """Why this customer message must not cause a notification (a short code for the log)."""
    if message.kind != MessageKind.CUSTOMER or message.author_id is not None:
        return "not-from-customer"
    if message.created_at < timezone.now() - FRESH_FOR:
        return "old"
    sender = message.customer.email if message.customer else ticket.customer.email
    staff = Membership.objects.active().filter(
        workspace_id=ticket.workspace_id, user__email__iexact=sender
    )
    if staff.exists():
        return "from-staff"
    envelope = MessageEnvelope.objects.filter(ticket_message=message).select_related("inbound")
    inbound = next((e.inbound for e in envelope if e.inbound is not None), None)
    if inbound is not None:
        parsed = parse_email(bytes(inbound.raw))
        reason = guard.refusal(workspace_id=ticket.workspace_id, parsed=parsed, address=sender)
        if reason is not None:
            return reason
    if not guard.take_slot("notify", workspace_id=ticket.workspace_id, address=sender):
        return "rate-limit"
    return None


def _link(ticket: Ticket) -> str:
    path = reverse(
        "ticket_detail", kwargs={"workspace_slug": ticket.workspace.slug, "number": ticket.number}
    )
    return settings.BASE_URL + path


def _sending_mailbox(ticket: Ticket) -> Mailbox | None:
    mailbox = outbox.mailbox_for(ticket)
    # Without SMTP nothing can go out now, and a notification sent late is noise: none.
    return mailbox if mailbox is not None and mailbox.has_smtp() else None


def _queue(
    ticket: Ticket,
    mailbox: Mailbox,
    users: list[User],
    texts: Callable[[Ticket], tuple[str, str]],
) -> list[OutboundEmail]:
    queued = []
    for user in users:
        with translation.override(user.language or ticket.workspace.language):
            subject, body = texts(ticket)
            body += "\n\n" + _link(ticket) + "\n\n-- \n"
            body += _("Bu bildirimi Destek otomatik olarak gönderdi.")
        queued.append(
            outbox.queue_automatic(
                mailbox=mailbox,
                kind=OutboundKind.NOTIFICATION,
                ticket=ticket,
                to=[user.email],
                subject=subject,
                body=body,
            )
        )
    return queued


def _new_ticket_texts(ticket: Ticket) -> tuple[str, str]:
    subject = _("Yeni talep: %(code)s") % {"code": ticket.code}
    body = _("%(code)s numaralı yeni talep atanmayı bekliyor.") % {"code": ticket.code}
    return subject, body


def _customer_reply_texts(ticket: Ticket) -> tuple[str, str]:
    subject = _("Müşteri yanıtladı: %(code)s") % {"code": ticket.code}
    body = _("Size atanmış %(code)s numaralı talebe müşteriden yeni bir mesaj geldi.") % {
        "code": ticket.code
    }
    return subject, body


def new_ticket(*, ticket: Ticket, message: Message) -> list[OutboundEmail]:
    """Tell the workspace's admins and agents that a customer's new ticket waits unassigned."""
    if not outbox.can_send_from(ticket.workspace_id):
        return []
    ticket = Ticket.objects.select_related("workspace", "customer").get(pk=ticket.pk)
    mailbox = _sending_mailbox(ticket)
    if ticket.assignee_id is not None or mailbox is None:
        return []
    reason = _why_not(ticket, message)
    if reason is not None:
        logger.info("no new-ticket notification for ticket %s: %s", ticket.pk, reason)
        return []
    members = (
        Membership.objects.agents()
        .filter(workspace_id=ticket.workspace_id)
        .select_related("user")
        .order_by("user__email")
    )
    return _queue(ticket, mailbox, [m.user for m in members], _new_ticket_texts)


def customer_reply(*, ticket: Ticket, message: Message) -> list[OutboundEmail]:
    """Tell the assignee that the customer answered their ticket."""
    if message.kind != MessageKind.CUSTOMER or not outbox.can_send_from(ticket.workspace_id):
        return []
    ticket = Ticket.objects.select_related("workspace", "customer", "assignee").get(pk=ticket.pk)
    assignee = ticket.assignee
    if assignee is None or message.kind != MessageKind.CUSTOMER:
        return []
    mailbox = _sending_mailbox(ticket)
    if mailbox is None:
        return []
    if (
        not Membership.objects.agents()
        .filter(workspace_id=ticket.workspace_id, user=assignee)
        .exists()
    ):
        return []
    reason = _why_not(ticket, message)
    if reason is not None:
        logger.info("no reply notification for ticket %s: %s", ticket.pk, reason)
        return []
    return _queue(ticket, mailbox, [assignee], _customer_reply_texts)


def on_ticket_created(
    sender: object, *, ticket: Ticket, message: Message, **kwargs: object
) -> None:
    """``tickets.signals.ticket_created`` (sent on commit)."""
    _safely(new_ticket, ticket, message)


def on_message_created(
    sender: object, *, ticket: Ticket, message: Message, **kwargs: object
) -> None:
    """``tickets.signals.message_created`` (sent on commit)."""
    if message.kind == MessageKind.CUSTOMER:
        _safely(customer_reply, ticket, message)


def _safely(notify: Callable[..., object], ticket: Ticket, message: Message) -> None:
    # After the commit the customer's message is safe; a failing notification must not turn
    # the request that stored it into an error.
    try:
        notify(ticket=ticket, message=message)
    except Exception:
        logger.exception("notification for ticket %s failed", ticket.pk)
