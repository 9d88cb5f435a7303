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
    first_response_at = models.DateTimeField(null=True)
    first_response_seconds = models.BigIntegerField(null=True)
    first_response_business_seconds = models.BigIntegerField(null=True)
    resolved_at = models.DateTimeField(null=True)
    resolution_seconds = models.BigIntegerField(null=True)
    resolution_business_seconds = models.BigIntegerField(null=True)

    class Meta:
        # The ticket table has no index on its first reply; the reports read them here.
        indexes = [
            models.Index(fields=["workspace", "first_response_at"], name="figures_first_response"),
            models.Index(fields=["workspace", "resolved_at"], name="figures_resolved"),
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
