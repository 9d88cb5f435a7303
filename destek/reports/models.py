"""What the reports keep beside the live tables (DESIGN §8, §9).

Durations in business hours cannot be summed by SQL, so each ticket's are computed once, when
its first reply or resolution is written, and kept in :class:`TicketFigures`. Replies per agent
per day are counted in :class:`ReplyDay` so the per-agent table never scans the message table.
Both are kept up to date by ``reports.upkeep`` and rebuilt exactly by ``destek rebuild_reports``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace
from destek.tickets.models import Ticket


class TicketFigures(models.Model):
    """A ticket's first-response and resolution durations, in seconds.

    ``first_response_at`` and ``resolved_at`` repeat the ticket's stamps the durations were
    computed from, so a stale row is recognisable by comparing them."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, primary_key=True, related_name="figures"
    )
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    # Copies of the ticket's assignee and "reopened at least once", so the per-agent table and
    # the reopen rate are read from the indexes below without touching the ticket table.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reopened = models.BooleanField(default=False)
    first_response_at = models.DateTimeField(null=True)
    first_response_seconds = models.BigIntegerField(null=True)
    first_response_business_seconds = models.BigIntegerField(null=True)
    resolved_at = models.DateTimeField(null=True)
    resolution_seconds = models.BigIntegerField(null=True)
    resolution_business_seconds = models.BigIntegerField(null=True)

    class Meta:
        # The ticket table has no index on its first reply; the reports read them here.
        # Covering indexes: a period's averages and medians are read from the index alone.
        indexes = [
            models.Index(
                fields=[
                    "workspace",
                    "first_response_at",
                    "first_response_seconds",
                    "first_response_business_seconds",
                    "assignee",
                ],
                name="figures_first_response_cover",
            ),
            models.Index(
                fields=[
                    "workspace",
                    "resolved_at",
                    "resolution_seconds",
                    "resolution_business_seconds",
                    "assignee",
                    "reopened",
                ],
                name="figures_resolved_cover",
            ),
        ]


class ReplyDay(models.Model):
    """How many replies an agent sent on one day (the workspace's calendar day)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    replies = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "day", "author"], name="reply_day_unique"),
        ]


class DigestOptOut(models.Model):
    """A person who does not want the weekly summary of this workspace."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("haftalık özet istemeyen")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="digest_opt_out_unique"),
        ]
