from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace


class CannedReply(models.Model):
    """A reusable answer; ``{{ customer.name }}``-style variables are filled in when used."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("başlık"), max_length=120)
    body = models.TextField(_("metin"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("hazır yanıt")
        verbose_name_plural = _("hazır yanıtlar")

    def __str__(self) -> str:
        return self.title
