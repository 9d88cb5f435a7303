"""The portal's own records: one-time sign-in links and satisfaction ratings."""

from __future__ import annotations

import hashlib

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace
from destek.tickets.models import Customer, Ticket


def hash_token(token: str) -> str:
    """Only the SHA-256 of a sign-in token is stored: a leaked table signs nobody in."""
    return hashlib.sha256(token.encode()).hexdigest()


class MagicLink(models.Model):
    """A single-use sign-in link for one customer of one workspace."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def is_usable(self, now=None) -> bool:
        return self.used_at is None and self.expires_at > (now or timezone.now())


class RatingQuerySet(models.QuerySet["SatisfactionRating"]):
    def for_workspace(self, workspace: Workspace) -> RatingQuerySet:
        return self.filter(workspace=workspace)

    def summary(self) -> dict[str, object]:
        """Count, average score and the share of 4s and 5s (the CSAT figure, in percent)."""
        row = self.aggregate(
            count=Count("pk"), average=Avg("score"), satisfied=Count("pk", filter=Q(score__gte=4))
        )
        count = row["count"]
        return {
            "count": count,
            "average": round(row["average"], 2) if count else None,
            "csat_percent": round(100 * row["satisfied"] / count, 1) if count else None,
        }


class SatisfactionRating(models.Model):
    """The customer's 1–5 rating of a resolved ticket: one per ticket, changeable until the
    ticket is closed."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="rating")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("puan"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("yorum"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = RatingQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["workspace", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            )
        ]
