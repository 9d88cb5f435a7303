"""Store, then process (DESIGN §5): raw mail is committed first, then threaded into a ticket.

CONTRACT (used by fetch, smtpd, the CLI and the quarantine page):
- ``receive(mailbox, raw, *, source, uidvalidity=None, uid=None) -> InboundEmail``: stores and
  COMMITS the raw bytes (its own transaction); a duplicate returns the existing row.
- ``process(inbound) -> InboundEmail``: parse + thread + create/append in one transaction; on
  failure the row is quarantined with its error (never raises for bad mail).
- ``receive_and_process(...)``: both.
- ``receive_many(mailbox, raws, *, source)`` / ``process_many(inbounds)``: the same for a batch
  (one commit for the stored batch, then one transaction with a savepoint per mail) — what the
  ingest command uses for many files, and several times faster per message.
- ``force_ticket(inbound, *, actor) -> Ticket``: "create ticket anyway" from quarantine.

Callers of ``receive`` must not hold a transaction open: the point is that the raw bytes are on
disk before the IMAP message is marked seen or the MTA is told "delivered".

Duplicates are caught twice. The same bytes in the same mailbox (or the same IMAP UID) are one
``InboundEmail`` row. A mail delivered again with other bytes — another Received header, a copy
sent to two of the workspace's mailboxes — has the same :func:`content_key`: a hash of its
Message-ID, sender, recipients, date, subject, bodies and attachments. At most one row per
workspace and content key is ``processed`` (a partial unique index enforces it under
concurrency); every later copy is ``ignored`` as a duplicate and points at the first copy's
ticket message. Mail that reuses a Message-ID for other content is not a duplicate.
"""

from __future__ import annotations

import hashlib
import logging
import traceback
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from destek.accounts import audit
from destek.accounts.models import User
from destek.lib import rows
from destek.lib.memo import batch_scope
from destek.mail import guard, outbox, tokens
from destek.mail.errors import MailProcessingError, MailRejected
from destek.mail.models import (
    IgnoredReason,
    InboundEmail,
    InboundStatus,
    Mailbox,
    MessageEnvelope,
    Participant,
)
from destek.mail.parse import MailParseError, ParsedAttachment, ParsedEmail, parse_email
from destek.mail.quotes import split_reply
from destek.mail.threading import customer_address, find_ticket, strip_codes
from destek.tickets import actions
from destek.tickets.actions import ActionError, FileData
from destek.tickets.models import Message, Ticket

logger = logging.getLogger(__name__)

# Longest address a Customer or Participant row holds (EmailField).
_MAX_ADDRESS = 254
# Placeholder customer for "create ticket anyway" on mail without any sender address.
UNKNOWN_SENDER = "bilinmeyen-gonderen@destek.invalid"
_OPEN = (InboundStatus.RECEIVED, InboundStatus.QUARANTINED)


def receive(
    mailbox: Mailbox,
    raw: bytes,
    *,
    source: str,
    uidvalidity: int | None = None,
    uid: int | None = None,
) -> InboundEmail:
    """Store and commit one raw message; the same bytes (or IMAP UID) again return the row
    stored the first time."""
    raw = bytes(raw)
    digest = hashlib.sha256(raw).hexdigest()
    try:
        with transaction.atomic():
            return InboundEmail.objects.create(
                workspace_id=mailbox.workspace_id,
                mailbox=mailbox,
                source=source,
                raw=raw,
                size=len(raw),
                sha256=digest,
                uidvalidity=uidvalidity if uid is not None else None,
                uid=uid,
            )
    except IntegrityError:
        existing = _stored_copy(mailbox, digest, uidvalidity, uid)
        if existing is None:
            raise
        return existing


def _stored_copy(
    mailbox: Mailbox, digest: str, uidvalidity: int | None, uid: int | None
) -> InboundEmail | None:
    copy = InboundEmail.objects.filter(mailbox=mailbox, sha256=digest).first()
    if copy is None and uid is not None:
        copy = InboundEmail.objects.filter(
            mailbox=mailbox, uidvalidity=uidvalidity, uid=uid
        ).first()
    if copy is not None:
        copy.mailbox = mailbox
    return copy


def receive_many(
    mailbox: Mailbox,
    raws: Sequence[bytes],
    *,
    source: str,
    uidvalidity: int | None = None,
    uids: Sequence[int] | None = None,
) -> list[InboundEmail]:
    """Store and commit a batch of raw messages together (one commit for all of them, so the
    whole batch is on disk before any of it counts as received); duplicates as in
    :func:`receive`, also within the batch. ``uids``: each message's IMAP UID (under
    ``uidvalidity``), for mail fetched over IMAP."""
    raws = [bytes(raw) for raw in raws]
    keys = [
        (hashlib.sha256(raw).hexdigest(), uid)
        for raw, uid in zip(raws, uids or [None] * len(raws), strict=True)
    ]
    try:
        # A transaction of its own when called outside one, not a savepoint: SQLite would copy
        # the pages it changes (the bytes, mostly) into its sub-journal first.
        with transaction.atomic():
            return _store_new(mailbox, raws, keys, source=source, uidvalidity=uidvalidity)
    except IntegrityError:
        # A copy stored by another process meanwhile: mail by mail, each finds its copy.
        with transaction.atomic():
            return [
                receive(mailbox, raw, source=source, uidvalidity=uidvalidity, uid=uid)
                for raw, (_digest, uid) in zip(raws, keys, strict=True)
            ]


def _store_new(
    mailbox: Mailbox,
    raws: list[bytes],
    keys: list[tuple[str, int | None]],
    *,
    source: str,
    uidvalidity: int | None,
) -> list[InboundEmail]:
    """One read for the copies already stored, one INSERT for the rest."""
    digests = {digest for digest, _uid in keys}
    uids = {uid for _digest, uid in keys if uid is not None}
    # One query per index: for "mailbox AND (digest IN … OR uid IN …)" SQLite read every stored
    # mail of the mailbox.
    copies = list(InboundEmail.objects.filter(mailbox=mailbox, sha256__in=digests))
    if uids:
        known = {row.pk for row in copies}
        copies += [
            row
            for row in InboundEmail.objects.filter(
                mailbox=mailbox, uidvalidity=uidvalidity, uid__in=uids
            )
            if row.pk not in known
        ]
    by_digest, by_uid = {}, {}
    for row in sorted(copies, key=lambda row: row.pk):
        row.mailbox = mailbox
        by_digest.setdefault(row.sha256, row)
        if row.uid is not None and row.uidvalidity == uidvalidity:
            by_uid.setdefault(row.uid, row)
    stored, new = [], []
    for raw, (digest, uid) in zip(raws, keys, strict=True):
        row = by_digest.get(digest) or (by_uid.get(uid) if uid is not None else None)
        if row is None:
            row = rows.new_row(
                InboundEmail,
                workspace_id=mailbox.workspace_id,
                mailbox=mailbox,
                source=source,
                raw=raw,
                size=len(raw),
                sha256=digest,
                uidvalidity=uidvalidity if uid is not None else None,
                uid=uid,
            )
            new.append(row)
            by_digest[digest] = row
            if uid is not None:
                by_uid[uid] = row
        stored.append(row)
    rows.insert(new)
    rows.insert([row.raw_row() for row in new])
    return stored


def process_many(inbounds: Iterable[InboundEmail]) -> list[InboundEmail]:
    """:func:`process` each mail, all in one transaction: a mail that fails is quarantined
    alone, the others are committed together. Plain mail of one mailbox is written in bulk, a
    constant number of queries for the batch (:mod:`destek.mail.batch`, same result as mail by
    mail); the rest goes through :func:`process` in its own savepoint. Workspace-level lookups
    (own addresses, SLA calendar and policies) are loaded once for the batch. A lost or locked
    database rolls the whole batch back; its rows stay ``received`` for the next run."""
    from destek.mail import batch

    done = list(inbounds)
    # A batch may name a row twice (the same bytes delivered twice are stored once).
    todo = list(
        {
            inbound.pk: inbound for inbound in done if inbound.status == InboundStatus.RECEIVED
        }.values()
    )
    with batch_scope():
        if BATCH_PATH and batch.applies(todo):
            batch.process(todo)
        else:
            with transaction.atomic():
                for inbound in todo:
                    process(inbound)
    return done


# The bulk path of destek.mail.batch (off: every mail of a batch goes through process(); the
# equivalence tests compare both).
BATCH_PATH = True


def receive_and_process(
    mailbox: Mailbox,
    raw: bytes,
    *,
    source: str,
    uidvalidity: int | None = None,
    uid: int | None = None,
) -> InboundEmail:
    inbound = receive(mailbox, raw, source=source, uidvalidity=uidvalidity, uid=uid)
    if inbound.status == InboundStatus.RECEIVED:
        process(inbound)
    return inbound


def process(inbound: InboundEmail) -> InboundEmail:
    """Turn a stored mail into a ticket message (or a deliberate no-op); a mail that can't be
    processed is quarantined with its error instead. Running it again is the retry: a row that
    was already processed or ignored is left as it is. A lost or locked database propagates
    (the row stays ``received`` and a later run picks it up)."""
    with translation.override(inbound.mailbox.workspace.language):
        for attempt in range(2):
            try:
                with transaction.atomic():
                    _process_claimed(inbound)
                break
            except IntegrityError:
                # Another worker processed a copy of this mail at the same moment (the
                # content-key index said no); the second pass sees it and ignores this copy.
                logger.info("inbound %s: conflict with a concurrent copy, again", inbound.pk)
                if attempt:
                    _quarantine(inbound, MailProcessingError(_("Veritabanı çakışması.")))
            except (MailRejected, MailProcessingError) as exc:
                _quarantine(inbound, exc)
                break
            except (OperationalError, InterfaceError):
                raise
            except Exception as exc:
                # A bug of ours met by this mail: keep the mail, say where, never log content.
                logger.error(
                    "inbound %s: unexpected %s at %s", inbound.pk, type(exc).__name__, _where(exc)
                )
                _quarantine(inbound, MailProcessingError(f"{type(exc).__name__}: {exc}"))
                break
    return inbound


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    frame = frames[-1]
    return f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"


def _process_claimed(inbound: InboundEmail) -> None:
    # The conditional UPDATE claims the row: a second worker waits for our commit, then finds
    # nothing left to claim (PostgreSQL row lock; SQLite serialises writers anyway).
    claimed = InboundEmail.objects.filter(pk=inbound.pk, status__in=_OPEN).update(
        attempts=F("attempts") + 1
    )
    if not claimed:
        inbound.refresh_from_db(fields=["status", "reason", "error", "ticket", "ticket_message"])
        return
    parsed = _parse(inbound)
    own = _own_addresses(inbound.mailbox)
    reason = _reason_to_ignore(inbound.mailbox, parsed, own)
    message = None
    if reason is None:
        message = _duplicate_of(inbound)
        if message is not None:
            reason = IgnoredReason.DUPLICATE
        else:
            sender = customer_address(parsed)
            if sender is None:
                raise MailRejected(_("İletide gönderen adresi yok."))
            message, created = _store(inbound, parsed, sender, own=own)
            if created:
                outbox.acknowledge(
                    ticket=message.ticket, message=message, inbound=inbound, parsed=parsed
                )
    _finish(inbound, message, reason)


def _parse(inbound: InboundEmail) -> ParsedEmail:
    try:
        parsed = parse_email(bytes(inbound.raw))
    except MailParseError as exc:
        raise MailRejected(_("İleti boş.")) from exc
    inbound.message_id = (parsed.message_id or "")[:998]
    inbound.content_key = content_key(parsed)
    return parsed


def content_key(parsed: ParsedEmail) -> str:
    """What makes two deliveries the same mail (see the module docstring); "" without a
    Message-ID, when only identical bytes count as the same."""
    if not parsed.message_id:
        return ""
    parts = [
        parsed.message_id,
        parsed.from_email or "",
        " ".join(address for _name, address in parsed.to + parsed.cc),
        parsed.date.isoformat() if parsed.date else "",
        parsed.subject,
        parsed.text,
        parsed.html or "",
        *(f"{a.filename}\0{a.content_type}\0{a.sha256}" for a in parsed.attachments),
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _own_addresses(mailbox: Mailbox) -> frozenset[str]:
    return guard.own_addresses(mailbox.workspace_id)


def _reason_to_ignore(
    mailbox: Mailbox, parsed: ParsedEmail, own: frozenset[str]
) -> IgnoredReason | None:
    if mailbox.only_addressed and mailbox.address.lower() not in {
        address for _name, address in parsed.to + parsed.cc
    }:
        return IgnoredReason.NOT_ADDRESSED
    if parsed.is_bounce:
        outbox.mark_bounced(mailbox=mailbox, parsed=parsed)
        return IgnoredReason.BOUNCE
    if _is_own_mail(mailbox.workspace_id, parsed, own):
        return IgnoredReason.LOOP
    return None


def _is_own_mail(workspace_id: int, parsed: ParsedEmail, own: frozenset[str]) -> bool:
    """Mail we sent coming back (a Bcc to ourselves, an answer sent to our own address) or mail
    from one of our addresses: a ticket from it could answer itself forever."""
    signed = tokens.ticket_of_message_id(parsed.message_id or "")
    if signed is not None and signed[0] == workspace_id:
        return True
    sender = customer_address(parsed)
    return parsed.from_email in own or (sender is not None and sender[1] in own)


def _duplicate_of(inbound: InboundEmail) -> Message | None:
    if not inbound.content_key:
        return None
    first = (
        InboundEmail.objects.filter(
            workspace_id=inbound.workspace_id,
            content_key=inbound.content_key,
            status=InboundStatus.PROCESSED,
        )
        # Repeats the partial index's condition so the database uses it (SQLite proves no
        # implications): without it this lookup scans every processed mail.
        .exclude(content_key="")
        .exclude(pk=inbound.pk)
        .values_list("ticket_message_id", flat=True)
        .order_by("pk")
        .first()
    )
    return Message.objects.get(pk=first) if first is not None else None


def _store(
    inbound: InboundEmail, parsed: ParsedEmail, sender: tuple[str, str], *, own: frozenset[str]
) -> tuple[Message, bool]:
    """The ticket message for the mail: threaded, stored with its envelope and attachments,
    its Cc people added to the ticket. ``True`` when it started a ticket (or a follow-up)."""
    workspace = inbound.mailbox.workspace
    name, email = sender
    if len(email) > _MAX_ADDRESS:
        raise MailRejected(_("Gönderen adresi çok uzun."))
    customer = actions.get_or_create_customer(workspace=workspace, email=email, name=name[:200])
    visible, quoted = split_reply(parsed.text)
    content = {
        "customer": customer,
        "text": parsed.text,
        "html": parsed.html or "",  # the action sanitises it
        "files": [_file(attachment) for attachment in parsed.attachments],
        "visible_text": visible if quoted else "",
    }
    match = find_ticket(workspace, parsed)
    if match.ticket is not None:
        message = actions.add_customer_message(ticket=match.ticket, **content)
        created = message.ticket_id != match.ticket.pk
    else:
        with translation.override(workspace.language):
            subject = strip_codes(parsed.subject, workspace.prefix) or _("(Konusuz)")
        ticket = actions.create_ticket(workspace=workspace, subject=subject, **content)
        message = ticket.first_message
        created = True
    _envelope(inbound, parsed, message)
    _add_participants(message.ticket, parsed, exclude=own | {customer.email})
    logger.info("inbound %s: %s by rule %s", inbound.pk, "new" if created else "joined", match.rule)
    return message, created


def _file(attachment: ParsedAttachment) -> FileData:
    return FileData(
        name=attachment.filename,
        content_type=attachment.content_type,
        data=attachment.data,
        inline=attachment.inline,
        content_id=attachment.content_id or "",
    )


def _addresses(entries: tuple[tuple[str, str], ...]) -> list[str]:
    return [address for _name, address in entries if address]


def _envelope(inbound: InboundEmail, parsed: ParsedEmail, message: Message) -> MessageEnvelope:
    envelope = _envelope_row(inbound, parsed, message)
    envelope.save(force_insert=True)
    return envelope


def _envelope_row(inbound: InboundEmail, parsed: ParsedEmail, message: Message) -> MessageEnvelope:
    return rows.new_row(
        MessageEnvelope,
        workspace_id=inbound.workspace_id,
        ticket_message=message,
        ticket_id=message.ticket_id,
        mailbox=inbound.mailbox,
        inbound=inbound,
        from_name=parsed.from_name[:255],
        from_address=(parsed.from_email or "")[:320],
        reply_to=_addresses(parsed.reply_to),
        to=_addresses(parsed.to),
        cc=_addresses(parsed.cc),
        subject=parsed.subject[:998],
        message_id=(parsed.message_id or "")[:998],
        in_reply_to=(parsed.in_reply_to or "")[:998],
        references=" ".join(parsed.references),
    )


def _participants(parsed: ParsedEmail, exclude: frozenset[str]) -> dict[str, str]:
    """The mail's Cc people who join the ticket: address -> name."""
    return {
        address: name[:200]
        for name, address in parsed.cc
        if address and address not in exclude and len(address) <= _MAX_ADDRESS
    }


def _add_participants(ticket: Ticket, parsed: ParsedEmail, *, exclude: frozenset[str]) -> None:
    people = _participants(parsed, exclude)
    if people:
        Participant.objects.bulk_create(
            [
                Participant(workspace_id=ticket.workspace_id, ticket=ticket, email=a, name=n)
                for a, n in people.items()
            ],
            ignore_conflicts=True,
        )


def _finish(inbound: InboundEmail, message: Message | None, reason: IgnoredReason | None) -> None:
    inbound.status = InboundStatus.IGNORED if reason else InboundStatus.PROCESSED
    inbound.reason = reason or ""
    inbound.error = ""
    inbound.ticket_message = message
    inbound.ticket_id = message.ticket_id if message is not None else None
    inbound.processed_at = timezone.now()
    inbound.save(
        update_fields=[
            "status",
            "reason",
            "error",
            "ticket",
            "ticket_message",
            "processed_at",
            "message_id",
            "content_key",
        ]
    )


def _quarantine(inbound: InboundEmail, exc: MailRejected | MailProcessingError) -> None:
    # The sender's fault is routine (info); ours needs someone to look (error).
    if isinstance(exc, MailRejected):
        logger.info("inbound %s quarantined: %s", inbound.pk, exc)
    else:
        logger.error("inbound %s quarantined: processing failed", inbound.pk)
    inbound.status = InboundStatus.QUARANTINED
    inbound.error = str(exc)[:2000]
    InboundEmail.objects.filter(pk=inbound.pk).update(
        status=inbound.status, error=inbound.error, attempts=F("attempts") + 1
    )


@transaction.atomic
def force_ticket(inbound: InboundEmail, *, actor: User) -> Ticket:
    """“Create ticket anyway” for a quarantined or ignored mail: no filter (not addressed to
    us, bounce, own address) applies and no acknowledgement goes out; a mail without a sender
    gets a placeholder customer. Threading still applies, so a reply joins its ticket."""
    # Claimed like process() does, so two clicks at once make one ticket.
    claimed = InboundEmail.objects.exclude(status=InboundStatus.PROCESSED).filter(pk=inbound.pk)
    if not claimed.update(attempts=F("attempts") + 1):
        inbound.refresh_from_db()
        return inbound.ticket
    try:
        parsed = parse_email(bytes(inbound.raw))
    except MailParseError as exc:
        raise ActionError(_("Boş bir iletiden talep açılamaz.")) from exc
    inbound.message_id = (parsed.message_id or "")[:998]
    # Forced mail is not the canonical copy of anything: keep it out of duplicate detection.
    inbound.content_key = ""
    sender = customer_address(parsed) or ("", UNKNOWN_SENDER)
    try:
        message, _created = _store(inbound, parsed, sender, own=_own_addresses(inbound.mailbox))
    except MailRejected as exc:
        raise ActionError(str(exc)) from exc
    _finish(inbound, message, None)
    audit.record(
        "mail.forced_ticket",
        workspace=inbound.mailbox.workspace,
        actor=actor,
        target=message.ticket.code,
    )
    return message.ticket
