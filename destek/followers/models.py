"""Followers: staff who watch a ticket and hear about its changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from destek.accounts.models import Workspace


class Follower(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_tickets"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "user"], name="follower_once"),
        ]
