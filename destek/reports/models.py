"""What the reports keep beside the live tables (DESIGN §8, §9).

Durations in business hours cannot be summed by SQL, so each ticket's are computed once, when
its first reply or resolution is written, and kept in :class:`TicketFigures` (one row per
ticket, with copies of what the reports group and filter by). :class:`DayTally` adds those rows
up per local day and (agent, category, priority, team), so a period's counts, sums and SLA
outcomes are read from a few rows per day instead of every ticket. Replies per agent per day are
counted in :class:`ReplyDay` so the per-agent table never scans the message table. All three are
kept up to date by ``reports.upkeep`` in the transaction of the change and rebuilt exactly by
``destek rebuild_reports``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace
from destek.tickets.models import Category, Team, Ticket


class TicketFigures(models.Model):
    """A ticket's first-response and resolution durations, in seconds, and a copy of the fields
    its share of :class:`DayTally` was counted from (so a change can take the old share back).

    ``first_response_at`` and ``resolved_at`` repeat the ticket's stamps the durations were
    computed from, so a stale row is recognisable by comparing them."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, primary_key=True, related_name="figures"
    )
    # Every index below starts with the workspace.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # Copies of the ticket's assignee and "reopened at least once", so the per-agent table and
    # the reopen rate are read from the indexes below without touching the ticket table.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reopened = models.BooleanField(default=False)
    # Copies for the daily tallies (null only on rows older than these columns).
    created_at = models.DateTimeField(null=True)
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")
    priority = models.CharField(max_length=2, default="")
    done = models.BooleanField(default=False)  # resolved or closed
    first_response_due_at = models.DateTimeField(null=True)
    resolution_due_at = models.DateTimeField(null=True)
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
            # Finished without a reply: whether the first-response target was missed depends on
            # the hour the reports are read, so these few are counted live.
            models.Index(
                fields=["workspace", "created_at", "first_response_due_at"],
                name="figures_unanswered_done",
                condition=Q(
                    done=True, first_response_at__isnull=True, first_response_due_at__isnull=False
                ),
            ),
        ]


class DayTally(models.Model):
    """The tickets of one workspace, local day and (agent, category, priority, team), added up.

    Each ticket counts on three days: the day it was created (``created`` and, once it is
    resolved or closed, its SLA outcomes), the day of its first reply (``answered`` and the
    summed durations) and the day of its resolution (``resolved``, the summed durations and
    ``reopened``). Agent, category and team are ids, 0 for none; they are the ticket's current
    ones, as in the live definitions. Active tickets' SLA outcomes depend on the hour and are
    counted live (``reports.metrics``)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    agent = models.IntegerField(default=0)
    category = models.IntegerField(default=0)
    priority = models.CharField(max_length=2, default="")
    team = models.IntegerField(default=0)
    created = models.IntegerField(default=0)
    first_met = models.IntegerField(default=0)
    first_missed = models.IntegerField(default=0)
    resolution_met = models.IntegerField(default=0)
    resolution_missed = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    answer_seconds = models.BigIntegerField(default=0)
    answer_business_seconds = models.BigIntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolution_seconds = models.BigIntegerField(default=0)
    resolution_business_seconds = models.BigIntegerField(default=0)
    reopened = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "day", "agent", "category", "priority", "team"],
                name="day_tally_unique",
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


class DayDurations(models.Model):
    """The sorted durations of one measure (``MEASURES`` index) of the tickets answered or
    resolved on one local day: per agent (0 = unassigned) and for everyone (``EVERYONE``), so a
    period's exact medians are found by binary search over a few sorted arrays instead of
    sorting every ticket of the period. ``values`` packs them as 32-bit integers (seconds)."""

    EVERYONE = -1
    MEASURES = (
        "first_response_seconds",
        "first_response_business_seconds",
        "resolution_seconds",
        "resolution_business_seconds",
    )

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    agent = models.IntegerField()
    measure = models.PositiveSmallIntegerField()
    values = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "day", "agent", "measure"], name="day_durations_unique"
            ),
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
