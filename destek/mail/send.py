"""Sending the outbox (DESIGN §5 outbound): claim a row, compose it, hand it to the mailbox's
SMTP server, record what happened.

A row is claimed with a conditional UPDATE (``queued`` → ``sending``), so two workers never send
the same mail. While a row is ``sending``, ``next_attempt_at`` is the end of the claim: a worker
that died mid-send leaves the row there, and :func:`sweep` puts it back in the queue after
:data:`CLAIM_SECONDS`. A temporary failure (connection refused, timeout, 4xx) is retried with
exponential backoff; a permanent one (5xx, authentication, TLS certificate) and the last of
:data:`MAX_ATTEMPTS` mark the row ``failed`` with the server's words, visible on the ticket.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from destek.mail import sent_copy
from destek.mail.compose import as_bytes, compose, load_for_compose, recipients
from destek.mail.connect import MailServerError, Stage, close_smtp, open_smtp
from destek.mail.models import CopyState, Mailbox, OutboundEmail, OutboundStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# Waits after the 1st…5th failure: 1, 3, 9, 27, 81 minutes (about two hours in all).
RETRY_BASE_SECONDS = 60
RETRY_FACTOR = 3
CLAIM_SECONDS = 600
_PERMANENT_STAGES = frozenset({Stage.AUTH, Stage.TLS, Stage.STARTTLS})
_SWEEP_BATCH = 500


@dataclass
class SendFailure(Exception):
    """Why a mail did not go out; ``permanent`` failures are not retried."""

    text: str
    permanent: bool


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure."""
    return timedelta(seconds=RETRY_BASE_SECONDS * RETRY_FACTOR ** max(0, attempts - 1))


def _failure(exc: BaseException, mailbox: Mailbox) -> SendFailure:
    """Name the failure for the agent and decide whether trying again can help."""
    where = f"{mailbox.smtp_host}:{mailbox.smtp_port or ''}".rstrip(":")
    if isinstance(exc, MailServerError):
        # Wrong password, a certificate that does not verify, no STARTTLS: settings to fix.
        text = exc.message
        if isinstance(exc.__cause__, smtplib.SMTPResponseException):
            text += f" ({_reply(exc.__cause__)})"
        return SendFailure(text, exc.stage in _PERMANENT_STAGES)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in exc.recipients.values()]
        replies = "; ".join(
            f"{address}: {code} {text.decode('utf-8', 'replace')}"
            for address, (code, text) in exc.recipients.items()
        )
        return SendFailure(
            _("Alıcılar reddedildi: %(reply)s") % {"reply": replies}, all(c >= 500 for c in codes)
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return SendFailure(
            _("SMTP sunucusu reddetti: %(reply)s") % {"reply": _reply(exc)}, exc.smtp_code >= 500
        )
    return SendFailure(
        _("SMTP sunucusuna bağlanılamadı (%(server)s): %(error)s")
        % {"server": where, "error": exc},
        False,
    )


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{exc.smtp_code} {text}".strip()


def transmit(outbound: OutboundEmail, *, now: datetime) -> dict[str, tuple[int, bytes]]:
    """Compose and send one mail; returns the recipients the server refused (others got it).
    Raises :class:`SendFailure`."""
    mailbox = outbound.mailbox
    try:
        data = as_bytes(compose(outbound, now=now))
    except OSError as exc:  # an attachment's file is gone from storage
        raise SendFailure(_("Ek dosyası okunamadı: %(error)s") % {"error": exc}, True) from exc
    try:
        conn = open_smtp(mailbox)
        try:
            return conn.sendmail(mailbox.address, recipients(outbound), data)
        finally:
            close_smtp(conn)
    except (MailServerError, smtplib.SMTPException, OSError) as exc:
        raise _failure(exc, mailbox) from exc


def claim(pk: int, *, now: datetime) -> bool:
    """Take a due row for sending; ``False`` when another worker has it or it is not due."""
    return bool(
        OutboundEmail.objects.filter(
            pk=pk, status=OutboundStatus.QUEUED, next_attempt_at__lte=now
        ).update(
            status=OutboundStatus.SENDING, next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS)
        )
    )


def deliver(pk: int, *, now: datetime | None = None) -> OutboundEmail | None:
    """Send outbox row ``pk`` if it is due and nobody else is sending it; returns the row as it
    ended up (``sent``, ``queued`` for a retry, ``failed``) or ``None`` when it was not ours."""
    now = now or timezone.now()
    if not claim(pk, now=now):
        return None
    outbound = load_for_compose(pk)
    mailbox = outbound.mailbox
    if mailbox is None or not mailbox.has_smtp() or not mailbox.is_active:
        # Waits, visible, until the mailbox can send; not an attempt.
        _finish(pk, status=OutboundStatus.QUEUED, next_attempt_at=now)
        return load_for_compose(pk)
    try:
        with translation.override(mailbox.workspace.language):
            refused = transmit(outbound, now=now)
    except SendFailure as failure:
        return _failed_attempt(outbound, failure, now=now)
    except Exception as exc:
        # Our bug, not the server's: count the attempt so the row cannot loop forever.
        logger.exception("outbound %s: unexpected error while sending", pk)
        failure = SendFailure(
            _("Beklenmeyen hata: %(error)s") % {"error": type(exc).__name__}, False
        )
        return _failed_attempt(outbound, failure, now=now)
    error = ""
    if refused:
        error = "; ".join(
            f"{a}: {code} {text.decode('utf-8', 'replace')}" for a, (code, text) in refused.items()
        )
    # ``sent_at`` is the Date the mail carries, so a copy for the Sent folder is the same mail.
    copy = {}
    if sent_copy.wanted(outbound):
        copy = {"copy_state": CopyState.PENDING, "copy_next_at": now}
    _finish(pk, status=OutboundStatus.SENT, sent_at=now, last_error=error, **copy)
    logger.info("outbound %s sent (%s, attempt %d)", pk, outbound.kind, outbound.attempts + 1)
    return load_for_compose(pk)


def _failed_attempt(
    outbound: OutboundEmail, failure: SendFailure, *, now: datetime
) -> OutboundEmail:
    attempts = outbound.attempts + 1
    final = failure.permanent or attempts >= MAX_ATTEMPTS
    _finish(
        outbound.pk,
        status=OutboundStatus.FAILED if final else OutboundStatus.QUEUED,
        attempts=attempts,
        next_attempt_at=now + retry_delay(attempts),
        last_error=failure.text[:2000],
    )
    logger.warning(
        "outbound %s attempt %d failed (%s)%s",
        outbound.pk,
        attempts,
        "permanent" if failure.permanent else "temporary",
        "; giving up" if final else "",
    )
    return load_for_compose(outbound.pk)


def _finish(pk: int, **fields: object) -> None:
    # Only from "sending": a bounce or a resend that changed the row meanwhile wins.
    OutboundEmail.objects.filter(pk=pk, status=OutboundStatus.SENDING).update(**fields)


def sweep(*, now: datetime | None = None) -> list[int]:
    """Release rows whose sender died mid-send, and list the due rows a worker should send
    (the safety net behind the enqueue on commit and the scheduled retries)."""
    now = now or timezone.now()
    stuck = OutboundEmail.objects.filter(status=OutboundStatus.SENDING, next_attempt_at__lte=now)
    released = stuck.update(status=OutboundStatus.QUEUED, next_attempt_at=now)
    if released:
        logger.warning("released %d outbound mails stuck in sending", released)
    due = (
        OutboundEmail.objects.filter(
            status=OutboundStatus.QUEUED,
            next_attempt_at__lte=now,
            mailbox__is_active=True,
        )
        .exclude(mailbox__smtp_host="")
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )
    return list(due[:_SWEEP_BATCH])
