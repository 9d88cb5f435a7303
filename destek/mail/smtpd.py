"""Destek's own SMTP receiver (``destek smtpd``, DESIGN §5): mail delivered straight to us.

It accepts mail only for active mailbox addresses (``550 5.1.1`` for every other recipient, so
it can't be used as a relay), stores each message exactly like ``destek ingest`` does — the raw
bytes committed first — and answers ``250`` only after that commit. A sender whose connection
drops before the ``250`` delivers again; the stored copy is found by its bytes, so nothing is
doubled. Processing (threading, ticket) happens before the answer too, so a mail is on its
ticket the moment the sender sees "accepted"; if processing fails the stored mail waits for a
retry and the answer is still ``250``: the mail is ours now.

Like a final-delivery MTA (RFC 5321 §4.4) it records the envelope sender as ``Return-Path``, so
a bounce (sent from the null sender ``<>``) is recognised as one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Q

from destek.mail import ingest
from destek.mail.models import InboundEmail, InboundSource, InboundStatus, Mailbox

logger = logging.getLogger(__name__)

ACCEPTED_RECIPIENT = "250 2.1.5 Recipient OK"
UNKNOWN_RECIPIENT = "550 5.1.1 Recipient address rejected: no active mailbox here"
ACCEPTED = "250 2.0.0 Message accepted"
TRY_AGAIN = "451 4.3.0 Temporary failure, please try again later"


def parse_listen(value: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:2525`` for IPv6) → ``(host, port)``."""
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise ValueError(f"{value!r} is not HOST:PORT")
    return host.strip("[]"), int(port)


def _is_mailbox(address: str) -> bool:
    return Mailbox.objects.filter(address__iexact=address.strip(), is_active=True).exists()


def _with_return_path(mail_from: str | None, raw: bytes) -> bytes:
    newline = b"\r\n" if b"\r\n" in raw[:4096] else b"\n"
    sender = (mail_from or "").strip("<>").encode("utf-8", "surrogateescape")
    return b"Return-Path: <" + sender + b">" + newline + raw


def accept(mail_from: str | None, recipients: Iterable[str], raw: bytes) -> list[InboundEmail]:
    """Store the message for every mailbox among ``recipients`` (committed on return), then
    process it. Blocking; runs outside the event loop."""
    data = _with_return_path(mail_from, raw)
    wanted = Q(pk__in=[])  # matches nothing until an address is added
    for address in {address.strip().lower() for address in recipients}:
        wanted |= Q(address__iexact=address)
    active = Mailbox.objects.filter(wanted, is_active=True).select_related("workspace")
    mailboxes = list(active.order_by("pk"))
    stored = [ingest.receive(mailbox, data, source=InboundSource.SMTP) for mailbox in mailboxes]
    for inbound in stored:
        if inbound.status != InboundStatus.RECEIVED:
            continue
        try:
            ingest.process(inbound)
        except Exception:
            # Stored and committed: the mail is safe and a retry will process it.
            logger.exception("inbound %s stored but not processed", inbound.pk)
    return stored


def _in_thread(function):
    """Run a blocking database function from the event loop, on Django's one sync thread,
    with a fresh connection each time (a long-lived receiver outlives any connection)."""

    def wrapped(*args):
        close_old_connections()
        try:
            return function(*args)
        finally:
            connection.close()

    return sync_to_async(wrapped, thread_sensitive=True)


class Receiver:
    """aiosmtpd handler: recipients checked at RCPT, the message stored at DATA."""

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        try:
            known = await _in_thread(_is_mailbox)(address)
        except Exception:
            logger.exception("recipient check failed")
            return TRY_AGAIN
        if not known:
            return UNKNOWN_RECIPIENT
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return ACCEPTED_RECIPIENT

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            stored = await _in_thread(accept)(envelope.mail_from, list(envelope.rcpt_tos), raw)
        except Exception:
            logger.exception("could not store a message received over SMTP")
            return TRY_AGAIN
        if not stored:  # every recipient's mailbox was switched off meanwhile
            return UNKNOWN_RECIPIENT
        logger.info("received over SMTP: inbound %s", ", ".join(str(i.pk) for i in stored))
        return ACCEPTED


def start(host: str, port: int) -> Controller:
    """Start the receiver in a background thread; ``controller.stop()`` ends it."""
    # aiosmtpd logs every sender and recipient address at INFO; our logs never hold addresses.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(
        Receiver(),
        hostname=host,
        port=port,
        server_hostname=host,
        ident="Destek",
        data_size_limit=settings.SMTPD_MAX_BYTES,
    )
    controller.start()
    return controller
