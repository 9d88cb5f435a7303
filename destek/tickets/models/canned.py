from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import User, Workspace


class CannedReplyQuerySet(models.QuerySet["CannedReply"]):
    def shared(self) -> CannedReplyQuerySet:
        """Workspace-wide replies (admins manage them)."""
        return self.filter(owner__isnull=True)

    def visible_to(self, workspace: Workspace, user: User) -> CannedReplyQuerySet:
        """What one agent may use: the workspace's shared replies and their own personal ones
        (``CannedReply.is_visible_to`` is the same rule for a loaded reply)."""
        return self.filter(workspace=workspace).filter(
            models.Q(owner__isnull=True) | models.Q(owner=user)
        )


class CannedReply(models.Model):
    """A reusable answer; ``{{ customer.name }}``-style variables are filled in when used.

    With an ``owner`` it is that agent's personal reply: nobody else sees or uses it."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("başlık"), max_length=120)
    body = models.TextField(_("metin"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="canned_replies",
        verbose_name=_("sahibi"),
    )
    position = models.PositiveIntegerField(default=0)

    objects = CannedReplyQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("hazır yanıt")
        verbose_name_plural = _("hazır yanıtlar")

    def __str__(self) -> str:
        return self.title

    def is_visible_to(self, user: User) -> bool:
        """``visible_to``'s rule for a reply already loaded: shared, or the user's own."""
        return self.owner_id is None or self.owner_id == user.pk
