"""The long-running fetcher behind ``destek fetchmail``: a poll of every due mailbox each
``interval`` seconds, plus an immediate fetch of a mailbox whose IDLE watcher saw new mail."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from django.db import close_old_connections

from destek.mail import lease
from destek.mail.idle import IdleWatchers, Wakeup
from destek.mail.models import Mailbox
from destek.mail.poller import FetchOutcome, Progress, poll_once

logger = logging.getLogger(__name__)

Report = Callable[[list[FetchOutcome]], None]
BUSY_RETRY_SECONDS = 2.0


def _watchable(mailbox_ids: Iterable[int] | None) -> list[int]:
    mailboxes = Mailbox.objects.fetchable()
    if mailbox_ids is not None:
        mailboxes = mailboxes.filter(pk__in=list(mailbox_ids))
    return list(mailboxes.values_list("pk", flat=True))


def _pass(
    wakeup: Wakeup,
    woken: set[int] | None,
    mailbox_ids: list[int] | None,
    owner: str,
    progress: Progress | None,
) -> list[FetchOutcome]:
    """A poll of every due mailbox, or (``woken``) a fetch of the mailboxes IDLE woke."""

    def stopping() -> bool:
        return wakeup.stopped

    if woken is None:
        return poll_once(
            mailbox_ids=mailbox_ids, owner=owner, progress=progress, should_stop=stopping
        )
    # New mail announced by IDLE: fetch it now, backoff or not (the server is up).
    outcomes = poll_once(
        mailbox_ids=woken, force=True, owner=owner, progress=progress, should_stop=stopping
    )
    for outcome in outcomes:
        if outcome.busy:
            # Another worker is in the middle of it and may have listed the folder before
            # this mail came: look again shortly rather than at the next poll.
            timer = threading.Timer(BUSY_RETRY_SECONDS, wakeup.notify, [outcome.mailbox_id])
            timer.daemon = True
            timer.start()
    return outcomes


def run_forever(
    wakeup: Wakeup,
    *,
    interval: float,
    mailbox_ids: Iterable[int] | None = None,
    watchers: IdleWatchers | None = None,
    progress: Progress | None = None,
    report: Report | None = None,
) -> None:
    """Fetch until ``wakeup.stop()`` (the SIGTERM handler calls it); the pass in hand stops
    after its current message and gives its leases back. With ``watchers`` (sharing
    ``wakeup``), every fetchable mailbox is also watched with IMAP IDLE."""
    mailbox_ids = list(mailbox_ids) if mailbox_ids is not None else None
    owner = lease.new_owner()
    next_poll = 0.0
    try:
        while not wakeup.stopped:
            woken = wakeup.wait(max(0.0, next_poll - time.monotonic()))
            if wakeup.stopped:
                break
            # A long-lived process: drop connections the database closed or that aged out.
            close_old_connections()
            scheduled = time.monotonic() >= next_poll
            if scheduled:
                next_poll = time.monotonic() + interval
            try:
                outcomes = _pass(wakeup, None if scheduled else woken, mailbox_ids, owner, progress)
                if scheduled and watchers is not None:
                    watchers.sync(_watchable(mailbox_ids))
            except Exception:
                # The database or a bug, not one mailbox (those are handled per mailbox):
                # say so and try again at the next poll instead of dying.
                logger.exception("fetch pass failed; retrying in %s s", interval)
                continue
            if report is not None and outcomes:
                report(outcomes)
    finally:
        if watchers is not None:
            watchers.stop_all()
        close_old_connections()
