"""Retention: the contents of tickets closed more than N months ago are removed (the same
scrubbing as an erasure; numbers and metrics stay). Off unless an operator runs it, with a
dry run that only reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from destek.accounts import audit
from destek.accounts.models import Workspace
from destek.privacy.erase import REDACTED, reindex, remove_files, scrub_tickets
from destek.tickets.models import Ticket
from destek.tickets.status import Status

CHUNK = 200


@dataclass
class RetentionReport:
    cutoff: datetime
    codes: list[str] = field(default_factory=list)
    messages: int = 0
    attachments: int = 0


def cutoff_for(months: int, now: datetime | None = None) -> datetime:
    # A month is counted as 30 days: the rule is "older than about N months", not a calendar.
    return (now or timezone.now()) - timedelta(days=30 * months)


def due(workspace: Workspace, months: int, now: datetime | None = None):
    """Closed tickets of the workspace closed before the cutoff and not yet scrubbed."""
    return (
        Ticket.objects.filter(
            workspace=workspace, status=Status.CLOSED, closed_at__lt=cutoff_for(months, now)
        )
        .exclude(subject=REDACTED)
        .select_related("workspace")
        .order_by("number")
    )


def purge(
    workspace: Workspace, *, months: int, dry_run: bool = True, now: datetime | None = None
) -> RetentionReport:
    if months < 1:
        raise ValueError("months must be at least 1")
    report = RetentionReport(cutoff=cutoff_for(months, now))
    tickets = list(due(workspace, months, now))
    report.codes = [ticket.code for ticket in tickets]
    if dry_run or not tickets:
        return report
    for start in range(0, len(tickets), CHUNK):
        chunk = tickets[start : start + CHUNK]
        with transaction.atomic():
            scrubbed = scrub_tickets(chunk)
            files = list(scrubbed.files)
            ids = [ticket.pk for ticket in chunk]
            transaction.on_commit(lambda files=files: remove_files(files))
            transaction.on_commit(lambda ids=ids: reindex(ids))
        report.messages += scrubbed.messages
        report.attachments += scrubbed.attachments
    audit.record(
        "retention.purged",
        workspace=workspace,
        months=months,
        tickets=len(report.codes),
        messages=report.messages,
        attachments=report.attachments,
    )
    return report
