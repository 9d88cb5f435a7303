"""Reading a mailbox's IMAP folder: which UIDs are new, and their raw bytes (STYLE §2).

New mail is found by UID — everything above the last UID seen under the folder's UIDVALIDITY —
never by the unseen flag or a date window, so mail someone already read in their mail client is
imported too (DESIGN §5). Messages are read with ``BODY.PEEK[]`` (reading does not mark them)
and flagged ``\\Seen`` only when the caller has committed them. Nothing is ever deleted.
"""

from __future__ import annotations

import imaplib
from collections.abc import Iterator
from datetime import date
from types import TracebackType

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from destek.mail.connect import close_imap, explain, open_imap, select_folder
from destek.mail.models import Mailbox

SEEN = b"\\Seen"
# Raw messages held in memory at once: at most this many, or this many bytes (one message
# bigger than that is still read, alone). Each FETCH is stored and processed as one batch, and
# a batch has a fixed cost (two commits, some forty queries to build): 200 imported a 10,000-mail
# backlog 11 % faster than 100 for 8 MB more (bench/worker_memory.py: 900 against 808 msg/s,
# 180 against 173 MB), and holds SQLite's write lock about 0.15 s (0.3 s on a machine half as
# fast); 250 gained nothing more.
BATCH_MESSAGES = 200
BATCH_BYTES = 20 * 1024 * 1024
TRANSPORT_ERRORS = (OSError, EOFError, imaplib.IMAP4.abort, IMAPClientError)


class ImapFolder:
    """The mailbox's folder, selected read-write for the duration of a ``with`` block."""

    def __init__(self, mailbox: Mailbox, *, timeout: float | None = None) -> None:
        self.mailbox = mailbox
        self.timeout = timeout
        self.client: IMAPClient | None = None
        self.uidvalidity = 0
        self.uidnext = 0  # the UID the next message will get: everything below it exists now

    def __enter__(self) -> ImapFolder:
        self.client = open_imap(self.mailbox, timeout=self.timeout)
        try:
            info = select_folder(self.client, self.mailbox)
            self.uidvalidity = int(info[b"UIDVALIDITY"])
            self.uidnext = int(info.get(b"UIDNEXT") or self._highest_uid() + 1)
        except BaseException:
            close_imap(self.client)
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.client is not None:
            close_imap(self.client)

    def _highest_uid(self) -> int:
        # Servers that omit UIDNEXT from SELECT: "UID *" matches the highest message, if any.
        return max(self._search(["UID", "*"]), default=0)

    def _search(self, criteria: list[str]) -> list[int]:
        try:
            return sorted(int(uid) for uid in self.client.search(criteria))
        except TRANSPORT_ERRORS as exc:
            raise explain(exc, self.mailbox.imap_host, self.mailbox.imap_port or 0) from exc

    def uids_after(self, last_uid: int) -> list[int]:
        """UIDs above ``last_uid``, ascending. ``N:*`` also matches the highest existing UID
        when it is below N (RFC 3501 §6.4.8), so the result is filtered."""
        return [uid for uid in self._search(["UID", f"{last_uid + 1}:*"]) if uid > last_uid]

    def uids_since(self, day: date) -> list[int]:
        """UIDs of the messages that arrived on or after ``day`` (the server's INTERNALDATE);
        only for importing a backlog, never for finding new mail."""
        return self._search(["SINCE", day])

    def message_batches(self, uids: list[int]) -> Iterator[list[tuple[int, bytes]]]:
        """``(uid, raw bytes)`` in UID order, a batch (one FETCH: ``BATCH_MESSAGES`` or
        ``BATCH_BYTES`` at most) at a time, so the caller can store and process a batch
        together; a message expunged meanwhile is skipped."""
        for batch in self._batches(sorted(uids)):
            try:
                data = self.client.fetch(batch, ["BODY.PEEK[]"])
            except TRANSPORT_ERRORS as exc:
                raise explain(exc, self.mailbox.imap_host, self.mailbox.imap_port or 0) from exc
            found = []
            for uid in batch:
                raw = data.get(uid, {}).get(b"BODY[]")
                if raw is not None:
                    found.append((uid, bytes(raw)))
            del data  # the batch's bytes are held once, not twice
            if found:
                yield found

    def _batches(self, uids: list[int]) -> Iterator[list[int]]:
        sizes = self._sizes(uids)
        batch: list[int] = []
        held = 0
        for uid in uids:
            size = sizes.get(uid, 0)
            if batch and (len(batch) >= BATCH_MESSAGES or held + size > BATCH_BYTES):
                yield batch
                batch, held = [], 0
            batch.append(uid)
            held += size
        if batch:
            yield batch

    def _sizes(self, uids: list[int]) -> dict[int, int]:
        if len(uids) <= 1:
            return {}
        try:
            data = self.client.fetch(uids, ["RFC822.SIZE"])
        except TRANSPORT_ERRORS as exc:
            raise explain(exc, self.mailbox.imap_host, self.mailbox.imap_port or 0) from exc
        return {uid: int(item.get(b"RFC822.SIZE", 0)) for uid, item in data.items()}

    def mark_seen(self, uids: list[int]) -> None:
        """Flag these messages ``\\Seen`` in one STORE."""
        try:
            self.client.add_flags(uids, [SEEN], silent=True)
        except TRANSPORT_ERRORS as exc:
            raise explain(exc, self.mailbox.imap_host, self.mailbox.imap_port or 0) from exc
