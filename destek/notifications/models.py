from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from destek.accounts.models import User, Workspace
from destek.notifications import kinds


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_reader(self, workspace: Workspace, user: User) -> NotificationQuerySet:
        """One person's notifications in one workspace: nobody else's are ever reachable."""
        return self.filter(workspace=workspace, recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notice for one staff member: a ticket was assigned to them, the customer
    answered, an SLA clock is about to run out …"""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=40)
    # The template's fill-ins (``kinds.TEMPLATES``): the text is rendered when read, in the
    # reader's language.
    params = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sidebar's unread count on every page, and the list newest first.
            models.Index(
                fields=["recipient", "workspace"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            ),
            models.Index(
                fields=["recipient", "workspace", "-created_at"], name="notification_list"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return kinds.render(self.kind, self.params)
