"""Background jobs of the mail app for the Huey consumer (``destek worker``)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from destek.mail import poller, reminders

# The outbox's jobs (send, sweep) live in their own module; importing it here registers them
# with the consumer, which only discovers `<app>.tasks`.
from destek.mail.outbox_tasks import save_sent_copy, send_outbound, sweep_outbox  # noqa: F401


def fetch_due_mailboxes() -> int:
    """One pass over every due mailbox (the same as ``destek fetchmail --once``); returns how
    many messages came in. Leases keep it from racing a running ``destek fetchmail``."""
    return sum(outcome.fetched for outcome in poller.poll_once())


# Every minute: the default poll interval (DESIGN §5); IDLE, where run, brings mail sooner.
@db_periodic_task(crontab(minute="*"))
def poll_mailboxes() -> int:
    return fetch_due_mailboxes()


# Hourly, off the full hour: customers of tickets pending too long get their one reminder.
@db_periodic_task(crontab(minute="23"))
def remind_pending_customers() -> int:
    return reminders.send_pending_reminders()
