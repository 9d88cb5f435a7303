"""Background jobs of the tickets app, run by the Huey consumer (``destek worker``)."""

from __future__ import annotations

import logging
from datetime import datetime

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from destek.accounts.models import Workspace
from destek.tickets import actions

logger = logging.getLogger(__name__)


def auto_close_resolved_tickets(*, now: datetime | None = None) -> int:
    """Close every workspace's tickets that stayed resolved longer than its auto-close period
    (DESIGN §4); returns how many were closed."""
    closed = 0
    for workspace in Workspace.objects.order_by("pk"):
        # A read-only workspace (trial over, not activated) accepts no changes, not even ours.
        if workspace.is_read_only(now):
            continue
        try:
            count = actions.auto_close(workspace=workspace, now=now)
        except Exception:
            # One workspace's bad row must not keep every other workspace's tickets open.
            logger.exception("auto-close failed in workspace %s", workspace.pk)
            continue
        if count:
            logger.info("auto-closed %d tickets in workspace %s", count, workspace.pk)
        closed += count
    return closed


# Hourly, off the full hour when every other cron job on the machine starts.
@db_periodic_task(crontab(minute="7"))
def auto_close_tickets() -> int:
    return auto_close_resolved_tickets()


@db_periodic_task(crontab(minute="*"))
def wake_snoozed_tickets() -> int:
    """Every minute: snoozed tickets whose time has come open again."""
    return actions.wake_snoozed()
