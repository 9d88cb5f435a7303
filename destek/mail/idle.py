"""IMAP IDLE (DESIGN §5, §9: new mail visible within seconds): one thread per mailbox keeps a
connection open in IDLE and, when the server announces new mail, wakes the fetch loop.

A watcher only signals; the fetch itself runs in the loop, under the mailbox's lease, exactly
as a poll does — so IDLE can make mail arrive sooner, never differently. Failures here are not
recorded on the mailbox (the poll does that); the watcher just retries with a growing pause.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterable

from django.db import connection

from destek.mail.connect import close_imap, open_imap
from destek.mail.models import Mailbox

logger = logging.getLogger(__name__)

# RFC 2177: clients should re-issue IDLE at least every 29 minutes.
RENEW_SECONDS = 25 * 60
RETRY_FIRST_SECONDS = 30
RETRY_MAX_SECONDS = 600


class Wakeup:
    """Mailboxes with news, handed from the watchers to the fetch loop; also carries the
    loop's stop request (set from a signal handler, so it is a plain flag)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids: set[int] = set()
        self.stopped = False

    def notify(self, mailbox_id: int) -> None:
        with self._lock:
            self._ids.add(mailbox_id)

    def stop(self) -> None:
        self.stopped = True

    def wait(self, timeout: float, *, slice_seconds: float = 0.2) -> set[int]:
        """The mailboxes notified so far, waiting up to ``timeout`` seconds for one (returns at
        once on a stop request)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if self._ids or self.stopped or time.monotonic() >= deadline:
                    taken, self._ids = self._ids, set()
                    return taken
            time.sleep(min(slice_seconds, max(0.0, deadline - time.monotonic())))


class IdleWatcher(threading.Thread):
    """Watches one mailbox's folder with IDLE until stopped, or until the server turns out not
    to offer IDLE (``supported`` becomes False; the poll alone serves that mailbox)."""

    def __init__(
        self,
        mailbox_id: int,
        wakeup: Wakeup,
        *,
        renew_seconds: float = RENEW_SECONDS,
        check_seconds: float = 1.0,
    ) -> None:
        super().__init__(name=f"idle-{mailbox_id}", daemon=True)
        self.mailbox_id = mailbox_id
        self.wakeup = wakeup
        self.renew_seconds = renew_seconds
        self.check_seconds = check_seconds
        self.supported: bool | None = None
        self.watching = threading.Event()  # set while in IDLE (tests wait for it)
        self._stop_requested = threading.Event()

    def stop(self) -> None:
        self._stop_requested.set()

    def run(self) -> None:
        pause = RETRY_FIRST_SECONDS
        connected_before = False
        while not self._stop_requested.is_set():
            try:
                mailbox = self._load()
                if mailbox is None:
                    return  # deleted or switched off: the loop starts a new watcher if needed
                self._watch(mailbox, reconnected=connected_before)
                if self.supported is False:
                    logger.info("mailbox %s: server offers no IDLE; polling only", mailbox.pk)
                    return
                connected_before, pause = True, RETRY_FIRST_SECONDS
            except Exception as exc:  # the poll reports failures; here we only retry
                logger.info(
                    "mailbox %s: IDLE interrupted (%s)", self.mailbox_id, type(exc).__name__
                )
                connected_before = True
                self._stop_requested.wait(pause)
                pause = min(pause * 2, RETRY_MAX_SECONDS)
            finally:
                self.watching.clear()

    def _load(self) -> Mailbox | None:
        try:
            return Mailbox.objects.fetchable().filter(pk=self.mailbox_id).first()
        finally:
            connection.close()  # this thread touches the database once per connection

    def _watch(self, mailbox: Mailbox, *, reconnected: bool) -> None:
        client = open_imap(mailbox)
        try:
            if not client.has_capability("IDLE"):
                self.supported = False
                return
            self.supported = True
            client.select_folder(mailbox.imap_folder or "INBOX", readonly=True)
            if reconnected:
                # Mail may have arrived while the connection was down.
                self.wakeup.notify(self.mailbox_id)
            self._idle(client)
        finally:
            close_imap(client)

    def _idle(self, client: object) -> None:
        client.idle()
        self.watching.set()
        started = time.monotonic()
        try:
            while not self._stop_requested.is_set():
                self._heard(client.idle_check(timeout=self.check_seconds))
                if time.monotonic() - started > self.renew_seconds:
                    # News that came in while leaving IDLE arrives with the DONE's answer.
                    self._heard(client.idle_done()[1])
                    client.idle()
                    started = time.monotonic()
        finally:
            with contextlib.suppress(Exception):
                client.idle_done()

    def _heard(self, responses: list[tuple]) -> None:
        if any(len(item) > 1 and item[1] == b"EXISTS" for item in responses):
            self.wakeup.notify(self.mailbox_id)


class IdleWatchers:
    """The running watchers, kept in step with the mailboxes that should have one."""

    def __init__(self, wakeup: Wakeup, **options: float) -> None:
        self.wakeup = wakeup
        self.options = options
        self.watchers: dict[int, IdleWatcher] = {}

    def sync(self, mailbox_ids: Iterable[int]) -> None:
        wanted = set(mailbox_ids)
        for mailbox_id in list(self.watchers):
            if mailbox_id not in wanted:
                self.watchers.pop(mailbox_id).stop()
        for mailbox_id in wanted:
            current = self.watchers.get(mailbox_id)
            # A watcher that found no IDLE stays (finished) so it is not retried every pass.
            if current is None or (not current.is_alive() and current.supported is not False):
                watcher = IdleWatcher(mailbox_id, self.wakeup, **self.options)
                self.watchers[mailbox_id] = watcher
                watcher.start()

    def stop_all(self, timeout: float = 10.0) -> None:
        for watcher in self.watchers.values():
            watcher.stop()
        deadline = time.monotonic() + timeout
        for watcher in self.watchers.values():
            watcher.join(max(0.0, deadline - time.monotonic()))
        self.watchers.clear()
