"""``destek ingest --mailbox ADDRESS [FILE …]``: raw mail from files or an MTA pipe (DESIGN §10).

Postfix and friends run ``| destek ingest --mailbox destek@firma.com`` with the message on
stdin and read the exit status: 0 means every message was stored (as a ticket message, an
ignored mail or in quarantine — never lost); the sysexits codes below make the MTA bounce mail
for an unknown mailbox and retry later when the database is unavailable.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import BinaryIO

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from destek.mail import ingest
from destek.mail.fetch import BATCH_MESSAGES
from destek.mail.models import InboundEmail, InboundSource, InboundStatus, Mailbox

# sysexits.h, the codes MTAs understand.
EX_DATAERR = 65
EX_NOINPUT = 66
EX_NOUSER = 67
EX_TEMPFAIL = 75

PIPE = InboundSource.PIPE
# Files stored per commit and processed per transaction: large enough to make an import fast,
# small enough that the SQLite write lock is never held for long (as the IMAP fetch's batch).
BATCH = BATCH_MESSAGES


class Command(BaseCommand):
    help = (
        "Store and process raw RFC 822 messages from files (in the order given) or stdin. "
        "Exit 0 when every message was stored (ticket or quarantine); 67 unknown mailbox, "
        "66 unreadable file, 65 empty input, 75 database unavailable (try again later)."
    )
    # Tests hand in stdin as bytes through call_command(..., stdin=BytesIO(...)).
    stealth_options = ("stdin",)

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--mailbox", required=True, metavar="ADDRESS")
        parser.add_argument("files", nargs="*", metavar="FILE", help="default: stdin")

    def handle(self, *args: object, mailbox: str, files: list[str], **options: object) -> None:
        target = self._mailbox(mailbox)
        if not files:
            stdin: BinaryIO = options.get("stdin") or sys.stdin.buffer
            raw = stdin.read()
            if not raw.strip():
                raise CommandError("no message on stdin", returncode=EX_DATAERR)
            self._store(target, raw, "stdin")
            return
        failures, readable = [], []
        for path in files:
            try:
                with open(path, "rb") as handle:
                    raw = handle.read()
            except OSError as exc:
                failures.append(f"{path}: {exc.strerror or exc}")
                continue
            if not raw.strip():
                failures.append(f"{path}: empty file")
                continue
            readable.append((path, raw))
        # The other files go on: what can be stored is stored, then we say what wasn't.
        for start in range(0, len(readable), BATCH):
            self._store_batch(target, readable[start : start + BATCH])
        if failures:
            raise CommandError("not stored: " + "; ".join(failures), returncode=EX_NOINPUT)

    def _mailbox(self, address: str) -> Mailbox:
        mailbox = (
            Mailbox.objects.select_related("workspace")
            .filter(address__iexact=address.strip())
            .first()
        )
        if mailbox is None:
            raise CommandError(
                f"no mailbox {address!r} (see `destek mailbox list`)", returncode=EX_NOUSER
            )
        if not mailbox.is_active:
            raise CommandError(f"mailbox {address!r} is not active", returncode=EX_NOUSER)
        return mailbox

    def _store_batch(self, mailbox: Mailbox, named: list[tuple[str, bytes]]) -> None:
        try:
            stored = ingest.receive_many(mailbox, [raw for _name, raw in named], source=PIPE)
        except DatabaseError as exc:
            raise CommandError(
                f"{named[0][0]}…: database unavailable, nothing stored ({type(exc).__name__})",
                returncode=EX_TEMPFAIL,
            ) from exc
        try:
            ingest.process_many(stored)
        except DatabaseError as exc:
            # Stored and committed; delivering the same files again processes them.
            raise CommandError(
                f"{named[0][0]}…: stored, database unavailable while processing "
                f"({type(exc).__name__})",
                returncode=EX_TEMPFAIL,
            ) from exc
        for (name, _raw), inbound in zip(named, stored, strict=True):
            self.stdout.write(f"{name}: {_outcome(inbound)}")

    def _store(self, mailbox: Mailbox, raw: bytes, name: str) -> None:
        try:
            inbound = ingest.receive_and_process(mailbox, raw, source=InboundSource.PIPE)
        except DatabaseError as exc:
            raise CommandError(
                f"{name}: database unavailable, nothing stored ({type(exc).__name__})",
                returncode=EX_TEMPFAIL,
            ) from exc
        self.stdout.write(f"{name}: {_outcome(inbound)}")


def _outcome(inbound: InboundEmail) -> str:
    """One line for the operator: what became of the message, without its content."""
    if inbound.status == InboundStatus.PROCESSED:
        code = inbound.ticket.code if inbound.ticket else "?"
        return f"stored #{inbound.pk}, ticket {code}"
    if inbound.status == InboundStatus.IGNORED:
        return f"stored #{inbound.pk}, ignored ({inbound.reason})"
    if inbound.status == InboundStatus.QUARANTINED:
        return f"stored #{inbound.pk}, quarantined: {inbound.error}"
    return f"stored #{inbound.pk}, waiting to be processed"
