"""Fetching mailboxes (DESIGN §5 inbound): lease, read new mail by UID, store, mark, process.

For each new message, in UID order: the raw bytes are committed (``ingest.receive``), then the
message is flagged ``\\Seen`` on the server, then ``last_uid`` is written (with the lease
renewal, in one UPDATE), then the mail is threaded (``ingest.process``). A crash anywhere in
between is harmless: the next pass starts after the last UID written, ``receive`` returns the
row already stored for the same bytes, and rows left ``received`` are processed first.

A failing mailbox is retried with exponential backoff and never holds up the others; after
:data:`FAILURES_BEFORE_ALERT` failures in a row its workspace's admins get one email.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from destek.mail import alerts, ingest, lease
from destek.mail.connect import MailServerError
from destek.mail.fetch import BATCH_MESSAGES, ImapFolder
from destek.mail.models import InboundEmail, InboundSource, InboundStatus, Mailbox

logger = logging.getLogger(__name__)

FAILURES_BEFORE_ALERT = 3
BACKOFF_FIRST = timedelta(seconds=60)
BACKOFF_MAX = timedelta(hours=1)

Progress = Callable[[Mailbox, int, int], None]
"""Called after each message of a backlog import with ``(mailbox, done, total)``."""
ShouldStop = Callable[[], bool]
"""Asked between messages: True ends the pass early (a shutdown), progress kept."""


def _never() -> bool:
    return False


@dataclass
class FetchOutcome:
    mailbox_id: int
    address: str
    fetched: int = 0
    error: str = ""
    busy: bool = False  # another worker holds the lease


@dataclass
class _Plan:
    """What this pass reads: ``uids`` in order; ``importing`` when they count as backlog
    progress; ``ceiling`` = the last UID to record once all of them are done (mail below it
    that is not in ``uids`` was deliberately left out)."""

    uids: list[int]
    importing: bool = False
    ceiling: int = 0
    fields: dict[str, object] = field(default_factory=dict)


def backoff(failures_before: int) -> timedelta:
    """60 s, 2 min, 4 min, … up to an hour."""
    return min(BACKOFF_FIRST * 2 ** min(failures_before, 16), BACKOFF_MAX)


def poll_once(
    *,
    mailbox_ids: Iterable[int] | None = None,
    force: bool = False,
    owner: str | None = None,
    progress: Progress | None = None,
    should_stop: ShouldStop = _never,
) -> list[FetchOutcome]:
    """Fetch every due mailbox once (``force``: also those waiting out a backoff), one after
    the other; one mailbox's failure is recorded on it and the pass goes on."""
    owner = owner or lease.new_owner()
    mailboxes = Mailbox.objects.fetchable() if force else Mailbox.objects.due(timezone.now())
    if mailbox_ids is not None:
        mailboxes = mailboxes.filter(pk__in=list(mailbox_ids))
    ids = list(mailboxes.order_by("pk").values_list("pk", flat=True))
    outcomes = []
    for pk in ids:
        if should_stop():
            break
        outcomes.append(fetch_mailbox(pk, owner=owner, progress=progress, should_stop=should_stop))
    return outcomes


def fetch_mailbox(
    mailbox_id: int,
    *,
    owner: str | None = None,
    progress: Progress | None = None,
    should_stop: ShouldStop = _never,
) -> FetchOutcome:
    """One mailbox, if its lease can be had: read its new mail and record the result."""
    owner = owner or lease.new_owner()
    if not lease.claim(mailbox_id, owner):
        address = Mailbox.objects.filter(pk=mailbox_id).values_list("address", flat=True).first()
        return FetchOutcome(mailbox_id, address or "", busy=True)
    mailbox = Mailbox.objects.select_related("workspace").get(pk=mailbox_id)
    outcome = FetchOutcome(mailbox_id, mailbox.address)
    # Errors are stored for the mailbox page and the admins' email: in the workspace's language.
    with translation.override(mailbox.workspace.language):
        try:
            outcome.fetched = _fetch(mailbox, owner, progress, should_stop)
        except lease.LeaseLost:
            logger.warning("mailbox %s: lease lost to another worker; stopped", mailbox_id)
            outcome.busy = True
            return outcome
        except MailServerError as error:
            outcome.error = error.message
        except Exception:
            logger.exception("mailbox %s: fetch failed", mailbox_id)
            outcome.error = _("Beklenmeyen bir hata oluştu; ayrıntılar sunucu günlüğünde.")
        if outcome.error:
            _record_failure(mailbox, owner, outcome.error)
        else:
            _record_success(mailbox, owner)
    if outcome.fetched:
        logger.info("mailbox %s: %d new messages", mailbox_id, outcome.fetched)
    return outcome


def _fetch(mailbox: Mailbox, owner: str, progress: Progress | None, should_stop: ShouldStop) -> int:
    _process_leftovers(mailbox)
    # Each batch reads the workspace's settings (own addresses, SLA calendar) once, in
    # process_many's own scope: what a long import remembers is bounded by one batch, and a
    # change made meanwhile (a new follower, say) is seen by the next batch.
    with ImapFolder(mailbox) as folder:
        plan = _plan(mailbox, folder)
        if plan.fields:
            lease.advance(mailbox.pk, owner, **plan.fields)
        count = 0
        for batch in folder.message_batches(plan.uids):
            _take(mailbox, folder, owner, batch, importing=plan.importing)
            count += len(batch)
            if plan.importing and progress is not None:
                progress(mailbox, mailbox.import_done, mailbox.import_total)
            if should_stop():
                return count  # the rest waits for the next pass, which starts after last_uid
        _finish(mailbox, owner, plan)
    return count


def _take(
    mailbox: Mailbox,
    folder: ImapFolder,
    owner: str,
    batch: list[tuple[int, bytes]],
    *,
    importing: bool,
) -> None:
    """One FETCH's messages: stored and committed together, then marked read, then the last
    UID recorded (with the lease renewed), then processed together (``process_many``: one
    transaction and a constant number of queries for the batch, where mail by mail took
    dozens of queries and a commit each)."""
    uids = [uid for uid, _raw in batch]
    inbounds = ingest.receive_many(
        mailbox,
        [raw for _uid, raw in batch],
        source=InboundSource.IMAP,
        uidvalidity=folder.uidvalidity,
        uids=uids,
    )
    # Only now, with the bytes committed, may the server show the mail as read.
    folder.mark_seen(uids)
    state: dict[str, object] = {"last_uid": uids[-1]}
    if importing:
        mailbox.import_done += len(uids)
        state["import_done"] = mailbox.import_done
    lease.advance(mailbox.pk, owner, **state)
    mailbox.last_uid = uids[-1]
    _process(inbounds)


def _finish(mailbox: Mailbox, owner: str, plan: _Plan) -> None:
    if not (plan.ceiling or plan.importing):
        return
    # Nothing below the ceiling is wanted any more; a finished import stays finished even
    # when some of its messages were deleted on the server meanwhile.
    finished: dict[str, object] = {"last_uid": max(mailbox.last_uid, plan.ceiling)}
    if plan.importing:
        finished["import_total"] = mailbox.import_done
    lease.advance(mailbox.pk, owner, **finished)


def _plan(mailbox: Mailbox, folder: ImapFolder) -> _Plan:
    if mailbox.uidvalidity is None:
        return _first_connection(mailbox, folder)
    if mailbox.uidvalidity != folder.uidvalidity:
        return _renumbered(mailbox, folder)
    if mailbox.import_done < mailbox.import_total:
        return _resumed_import(mailbox, folder)
    return _Plan(folder.uids_after(mailbox.last_uid))


def _first_connection(mailbox: Mailbox, folder: ImapFolder) -> _Plan:
    """Only mail from now on, or the last ``import_days`` days as a backlog import."""
    highest = folder.uidnext - 1
    if mailbox.import_days is None:
        return _Plan([], fields={"uidvalidity": folder.uidvalidity, "last_uid": highest})
    since = timezone.localdate() - timedelta(days=mailbox.import_days)
    uids = folder.uids_since(since)
    mailbox.import_done, mailbox.import_total = 0, len(uids)
    fields = {
        "uidvalidity": folder.uidvalidity,
        "last_uid": 0,
        "import_total": len(uids),
        "import_done": 0,
    }
    return _Plan(uids, importing=True, ceiling=highest, fields=fields)


def _renumbered(mailbox: Mailbox, folder: ImapFolder) -> _Plan:
    """The server renumbered the folder (restored, migrated, recreated): every UID we know is
    meaningless. Read it again; mail stored before is recognised by its bytes. Mail older than
    anything this mailbox ever imported stays out (no tickets, no acknowledgements for
    years-old mail)."""
    logger.warning(
        "mailbox %s: UIDVALIDITY changed from %s to %s; rescanning the folder",
        mailbox.pk,
        mailbox.uidvalidity,
        folder.uidvalidity,
    )
    floor = timezone.localdate(mailbox.created_at) - timedelta(days=(mailbox.import_days or 0) + 1)
    mailbox.last_uid = 0
    fields = {"uidvalidity": folder.uidvalidity, "last_uid": 0}
    return _Plan(folder.uids_since(floor), ceiling=folder.uidnext - 1, fields=fields)


def _resumed_import(mailbox: Mailbox, folder: ImapFolder) -> _Plan:
    """A backlog import interrupted by a crash or an outage: carry on where it stopped."""
    since = timezone.localdate() - timedelta(days=mailbox.import_days or 0)
    uids = [uid for uid in folder.uids_since(since) if uid > mailbox.last_uid]
    mailbox.import_total = mailbox.import_done + len(uids)
    fields = {"import_total": mailbox.import_total}
    return _Plan(uids, importing=True, ceiling=folder.uidnext - 1, fields=fields)


def _process(inbounds: list[InboundEmail]) -> None:
    try:
        # Copies stored (and handled) before — a re-fetch after a crash, a rescan — are left
        # as they are.
        ingest.process_many(inbounds)
    except Exception:
        # Stored and marked: nothing is lost. The rows stay "received" and the next pass
        # processes them (database outage, a bug fixed by a restart).
        logger.exception(
            "inbound %s…%s: processing failed; retried on the next pass",
            inbounds[0].pk,
            inbounds[-1].pk,
        )


def _process_leftovers(mailbox: Mailbox) -> None:
    """Mail stored by an earlier pass that stopped before processing it."""
    leftovers = InboundEmail.objects.open_mail().filter(
        mailbox=mailbox, source=InboundSource.IMAP, status=InboundStatus.RECEIVED
    )
    ids = list(leftovers.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH_MESSAGES):
        chunk = ids[start : start + BATCH_MESSAGES]
        batch = list(InboundEmail.objects.filter(pk__in=chunk).order_by("pk"))
        for inbound in batch:
            inbound.mailbox = mailbox
        _process(batch)


def _record_success(mailbox: Mailbox, owner: str) -> None:
    now = timezone.now()
    lease.release(
        mailbox.pk,
        owner,
        last_check_at=now,
        last_success_at=now,
        last_error="",
        failure_count=0,
        next_attempt_at=None,
        failure_notified_at=None,
    )


def _record_failure(
    mailbox: Mailbox, owner: str, message: str, now: datetime | None = None
) -> None:
    now = now or timezone.now()
    failures = mailbox.failure_count + 1
    logger.warning("mailbox %s: fetch failed (%d in a row)", mailbox.pk, failures)
    fields: dict[str, object] = {
        "last_check_at": now,
        "last_error": message,
        "failure_count": failures,
        "next_attempt_at": now + backoff(mailbox.failure_count),
    }
    if failures >= FAILURES_BEFORE_ALERT and mailbox.failure_notified_at is None:
        mailbox.last_error, mailbox.failure_count = message, failures
        if alerts.notify_fetch_failing(mailbox):
            fields["failure_notified_at"] = now
    lease.release(mailbox.pk, owner, **fields)
