"""The outbox (DESIGN §5 outbound): rows written in the caller's transaction, sent by a worker.

CONTRACT (used by ingest and the UI):
- ``acknowledge(*, ticket, message, inbound, parsed) -> OutboundEmail | None``: queue the
  automatic acknowledgement for a new emailed ticket unless a loop guard says no.
- ``mark_bounced(*, mailbox, parsed) -> OutboundEmail | None``: a DSN came back; mark the mail it
  concerns failed.
- ``resend(outbound, *, actor) -> OutboundEmail``: put a failed mail back in the queue.

Also ``queue_reply(*, ticket, message)``, run for ``tickets.signals.reply_written`` inside the
reply's transaction, and ``queue_automatic(...)`` for notifications. A row is handed to the
worker only after its transaction commits; rows of a mailbox without SMTP settings wait in the
queue, visible, until the mailbox can send.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from destek.accounts.models import User
from destek.lib.memo import batch_memoized
from destek.lib.rows import new_row
from destek.mail import bounce, guard, tokens
from destek.mail.models import (
    InboundEmail,
    InboundSource,
    Mailbox,
    MessageEnvelope,
    OutboundEmail,
    OutboundKind,
    OutboundStatus,
    Participant,
)
from destek.mail.parse import ParsedEmail
from destek.mail.threading import subject_with_code
from destek.tickets.actions import ActionError
from destek.tickets.canned import fill_variables
from destek.tickets.models import Message, MessageKind, Ticket

logger = logging.getLogger(__name__)

# References grow with every reply; the root and the nearest ids are the ones clients use.
_MAX_REFERENCES = 20


def mailbox_for(ticket: Ticket) -> Mailbox | None:
    """The mailbox a ticket's mail goes out from: the one its first mail came in through, else
    the workspace's first active one; ``None`` when the workspace has no mailbox (a ticket
    typed in from a phone call then simply has no mail)."""
    first = (
        MessageEnvelope.objects.filter(ticket=ticket, inbound__isnull=False, mailbox__isnull=False)
        .select_related("mailbox")
        .order_by("pk")
        .first()
    )
    if first is not None and first.mailbox.is_active:
        return first.mailbox
    return (
        Mailbox.objects.filter(workspace_id=ticket.workspace_id, is_active=True)
        .order_by("pk")
        .first()
    )


@batch_memoized
def can_send_from(workspace_id: int) -> bool:
    """Whether any active mailbox of the workspace has SMTP settings, i.e. whether mail
    written now could go out now (remembered for one ingest batch)."""
    # The SMTP hosts alone (``Mailbox.has_smtp``), not whole mailboxes of forty columns.
    hosts = Mailbox.objects.filter(workspace_id=workspace_id, is_active=True).values_list(
        "smtp_host", flat=True
    )
    return any(hosts)


def domain_of(address: str) -> str:
    return address.rpartition("@")[2] or "localhost"


def _thread_headers(ticket: Ticket) -> tuple[str, str]:
    """``(In-Reply-To, References)`` pointing at the customer's last mail, so the customer's
    mail client files the answer under it."""
    last = (
        MessageEnvelope.objects.filter(ticket=ticket, ticket_message__kind=MessageKind.CUSTOMER)
        .exclude(message_id="")
        .order_by("-ticket_message__created_at", "-pk")
        .first()
    )
    if last is None:
        return "", ""
    chain = list(dict.fromkeys([*last.references.split(), last.message_id]))
    if len(chain) > _MAX_REFERENCES:
        chain = chain[:1] + chain[-(_MAX_REFERENCES - 1) :]
    return last.message_id, " ".join(chain)


def _reply_subject(ticket: Ticket) -> str:
    return subject_with_code(f"Re: {ticket.subject}", ticket.code)


def _cc_for(ticket: Ticket, mailbox: Mailbox) -> list[str]:
    skip = {ticket.customer.email.lower(), mailbox.address.lower()}
    cc = []
    for email in (
        Participant.objects.filter(ticket=ticket).order_by("pk").values_list("email", flat=True)
    ):
        address = email.strip().lower()
        if (
            address
            and address not in skip
            and not guard.is_own_address(ticket.workspace_id, address)
        ):
            skip.add(address)
            cc.append(address)
    return cc


def queue_reply(*, ticket: Ticket, message: Message) -> OutboundEmail | None:
    """Write the mail that carries an agent's reply, with its envelope, in the reply's own
    transaction (``tickets.signals.reply_written``)."""
    mailbox = mailbox_for(ticket)
    if mailbox is None or message.kind != MessageKind.REPLY:
        return None
    in_reply_to, references = _thread_headers(ticket)
    to = [ticket.customer.email]
    cc = _cc_for(ticket, mailbox)
    subject = _reply_subject(ticket)
    message_id = tokens.make_message_id(
        workspace_id=ticket.workspace_id, ticket_id=ticket.pk, domain=domain_of(mailbox.address)
    )
    MessageEnvelope.objects.create(
        workspace_id=ticket.workspace_id,
        ticket_message=message,
        ticket=ticket,
        mailbox=mailbox,
        from_name=mailbox.display_name,
        from_address=mailbox.address,
        to=to,
        cc=cc,
        subject=subject,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
    )
    outbound = OutboundEmail.objects.create(
        workspace_id=ticket.workspace_id,
        mailbox=mailbox,
        ticket=ticket,
        ticket_message=message,
        kind=OutboundKind.REPLY,
        to=to,
        cc=cc,
        subject=subject,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
    )
    send_after_commit(outbound)
    return outbound


def queue_automatic(
    *,
    mailbox: Mailbox,
    kind: str,
    to: list[str],
    subject: str,
    body: str,
    ticket: Ticket | None = None,
    message_id: str = "",
    in_reply_to: str = "",
    references: str = "",
    holds_sign_in_link: bool = False,
) -> OutboundEmail:
    """Queue an acknowledgement or a notification (the body is rendered by the caller)."""
    outbound = OutboundEmail.objects.create(
        workspace_id=mailbox.workspace_id,
        mailbox=mailbox,
        ticket=ticket,
        kind=kind,
        to=to,
        subject=subject[:998],
        body=body,
        message_id=message_id or _plain_message_id(mailbox),
        in_reply_to=in_reply_to,
        references=references,
        holds_sign_in_link=holds_sign_in_link,
    )
    send_after_commit(outbound)
    return outbound


def _plain_message_id(mailbox: Mailbox) -> str:
    # Not signed for a ticket: an answer to a notification must not thread into the ticket.
    from email.utils import make_msgid

    return make_msgid("destek", domain=domain_of(mailbox.address)).strip("<>")


def send_after_commit(outbound: OutboundEmail) -> None:
    """Hand the row to the worker once it is committed, if its mailbox can send."""
    if outbound.mailbox is None or not outbound.mailbox.has_smtp():
        return
    pk = outbound.pk
    transaction.on_commit(lambda: _enqueue(pk))


def _enqueue(pk: int) -> None:
    from destek.mail.outbox_tasks import send_outbound

    try:
        send_outbound(pk)
    except Exception:
        # The row is safe in the database; the sweeper hands it over on its next round.
        logger.exception("could not enqueue outbound %s; the sweeper will retry", pk)


# --- Acknowledgement ------------------------------------------------------------------------


def _ack_values(ticket: Ticket) -> dict[str, str]:
    return {
        "ticket.code": ticket.code,
        "ticket.subject": ticket.subject,
        "customer.name": ticket.customer.display_name,
        "workspace.name": ticket.workspace.name,
    }


def _ack_text(mailbox: Mailbox, ticket: Ticket) -> tuple[str, str]:
    values = _ack_values(ticket)
    language = ticket.workspace.language
    # The ingest batch already runs in the workspace's language: switching costs more than
    # the rest of the text.
    same = translation.get_language() == language
    with nullcontext() if same else translation.override(language):
        subject = mailbox.acknowledgement_subject or f"Re: {ticket.subject}"
        body = mailbox.acknowledgement_body or _(
            "Merhaba {{ customer.name }},\n\n"
            "Talebiniz alındı, takip kodunuz {{ ticket.code }}. En kısa sürede size dönüş "
            "yapacağız.\n\nBu e-postayı yanıtlayarak talebinize ekleme yapabilirsiniz."
        )
    subject = subject_with_code(fill_variables(subject, values), ticket.code)
    return subject, fill_variables(body, values)


# Mail fetched over IMAP that was written this long before it arrived here is a backlog
# import (first connection, a restored folder): its sender stopped waiting for an answer long ago.
BACKLOG_AGE = timedelta(days=2)


def _is_backlog(inbound: InboundEmail, parsed: ParsedEmail) -> bool:
    return (
        inbound.source == InboundSource.IMAP
        and parsed.date is not None
        and inbound.received_at - parsed.date > BACKLOG_AGE
    )


def acknowledge(
    *, ticket: Ticket, message: Message, inbound: InboundEmail, parsed: ParsedEmail
) -> OutboundEmail | None:
    """Queue "Talebiniz alındı, takip kodunuz DST-1042" for a new emailed ticket, unless the
    mailbox has it switched off or a loop guard refuses (DESIGN §5)."""
    outbound = acknowledgement(ticket=ticket, inbound=inbound, parsed=parsed)
    if outbound is not None:
        outbound.save(force_insert=True)
        send_after_commit(outbound)
    return outbound


def acknowledgement(
    *, ticket: Ticket, inbound: InboundEmail, parsed: ParsedEmail
) -> OutboundEmail | None:
    """The unsaved acknowledgement :func:`acknowledge` queues (the loop guards and the rate
    limit already applied); the ingest batch saves many at once."""
    mailbox = inbound.mailbox
    if not mailbox.acknowledge:
        return None
    if _is_backlog(inbound, parsed):
        logger.info("no acknowledgement for inbound %s: backlog import", inbound.pk)
        return None
    address = ticket.customer.email
    reason = guard.refusal(workspace_id=ticket.workspace_id, parsed=parsed, address=address)
    if reason is None and not guard.take_slot(
        "ack", workspace_id=ticket.workspace_id, address=address
    ):
        reason = "rate-limit"
    if reason is not None:
        logger.info("no acknowledgement for inbound %s: %s", inbound.pk, reason)
        return None
    subject, body = _ack_text(mailbox, ticket)
    return new_row(
        OutboundEmail,
        workspace_id=mailbox.workspace_id,
        mailbox=mailbox,
        ticket=ticket,
        kind=OutboundKind.ACKNOWLEDGEMENT,
        to=[address],
        subject=subject[:998],
        body=body,
        message_id=tokens.make_message_id(
            workspace_id=ticket.workspace_id, ticket_id=ticket.pk, domain=domain_of(mailbox.address)
        ),
        in_reply_to=parsed.message_id or "",
        references=" ".join(dict.fromkeys([*parsed.references, parsed.message_id or ""])).strip(),
    )


# --- Bounces and resending ------------------------------------------------------------------


def mark_bounced(*, mailbox: Mailbox, parsed: ParsedEmail) -> OutboundEmail | None:
    """A delivery report came back: mark the mail it returns failed, with the receiving
    server's reason. Delay notices change nothing (the mail may still arrive)."""
    if not bounce.is_failure(parsed):
        return None
    ids = bounce.returned_message_ids(parsed)
    if not ids:
        return None
    outbound = (
        OutboundEmail.objects.filter(workspace_id=mailbox.workspace_id, message_id__in=ids)
        .order_by("-pk")
        .first()
    )
    if outbound is None:
        return None
    with translation.override(mailbox.workspace.language):
        error = _("Geri döndü: %(reason)s") % {"reason": bounce.reason(parsed)}
    OutboundEmail.objects.filter(pk=outbound.pk).update(
        status=OutboundStatus.FAILED, last_error=error
    )
    outbound.refresh_from_db()
    logger.info("outbound %s bounced", outbound.pk)
    return outbound


@transaction.atomic
def resend(outbound: OutboundEmail, *, actor: User | None) -> OutboundEmail:
    """Put a failed mail back in the queue with a fresh count of attempts."""
    updated = OutboundEmail.objects.filter(pk=outbound.pk, status=OutboundStatus.FAILED).update(
        status=OutboundStatus.QUEUED,
        attempts=0,
        next_attempt_at=timezone.now(),
        last_error="",
    )
    outbound.refresh_from_db()
    if not updated and outbound.status == OutboundStatus.SENT:
        raise ActionError(_("Bu e-posta zaten gönderildi."))
    if updated:
        logger.info("outbound %s queued again by user %s", outbound.pk, actor.pk if actor else "-")
        send_after_commit(outbound)
    return outbound


def on_reply_written(sender: object, *, ticket: Ticket, message: Message, **kwargs: object) -> None:
    """``tickets.signals.reply_written``: sent inside the reply's transaction, so an error here
    rolls the reply back rather than leaving a reply that never goes out."""
    queue_reply(ticket=ticket, message=message)
