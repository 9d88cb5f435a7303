"""The outbox's background jobs (``destek worker``): send one row, and sweep the queue.

Thin on purpose (STYLE §6): the work is in :mod:`destek.mail.send`.
"""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from destek.mail import send, sent_copy
from destek.mail.models import CopyState, OutboundStatus


@db_task()
def send_outbound(pk: int) -> None:
    outbound = send.deliver(pk)
    if outbound is not None and outbound.copy_state == CopyState.PENDING:
        save_sent_copy(pk)
    if outbound is not None and outbound.status == OutboundStatus.QUEUED:
        # A temporary failure: come back when the backoff is over (the sweeper would too).
        delay = (outbound.next_attempt_at - timezone.now()).total_seconds()
        send_outbound.schedule(args=(pk,), delay=max(1, int(delay) + 1))


@db_task()
def save_sent_copy(pk: int) -> None:
    outbound = sent_copy.save(pk)
    if outbound is not None and outbound.copy_state == CopyState.PENDING:
        delay = (outbound.copy_next_at - timezone.now()).total_seconds()
        save_sent_copy.schedule(args=(pk,), delay=max(1, int(delay) + 1))


@db_periodic_task(crontab(minute="*"))
def sweep_outbox() -> int:
    due = send.sweep()
    for pk in due:
        send_outbound(pk)
    copies = sent_copy.sweep()
    for pk in copies:
        save_sent_copy(pk)
    return len(due) + len(copies)
