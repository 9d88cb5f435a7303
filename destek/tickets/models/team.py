from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Membership, Workspace


class AssignmentMode(models.TextChoices):
    MANUAL = "manual", _("Elle (talepler ekip kuyruğunda bekler)")
    ROUND_ROBIN = "round_robin", _("Sırayla")
    LEAST_OPEN = "least_open", _("En az açık talebi olana")


class Team(models.Model):
    """A group of agents (Teknik, Satış, Muhasebe) that a category routes tickets to."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("ad"), max_length=80)
    members = models.ManyToManyField(
        Membership, blank=True, related_name="teams", verbose_name=_("üyeler")
    )
    assignment_mode = models.CharField(
        _("otomatik atama"),
        max_length=12,
        choices=AssignmentMode.choices,
        default=AssignmentMode.MANUAL,
    )
    # Round-robin cursor: the member who got the last ticket, so the next one goes to the next.
    last_assigned = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ekip")
        verbose_name_plural = _("ekipler")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="team_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name
