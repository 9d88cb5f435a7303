"""Saved views: a queue tab with its filters and sort, kept under a name (personal or shared)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import User, Workspace

MAX_VIEWS = 20  # per person, shared ones included: the sidebar counts each one


class SavedViewQuerySet(models.QuerySet["SavedView"]):
    def visible_to(self, workspace: Workspace, user: User) -> SavedViewQuerySet:
        """The user's own views and the workspace's shared ones."""
        return self.filter(Q(owner=user) | Q(shared=True), workspace=workspace)


class SavedView(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField(_("ad"), max_length=60)
    shared = models.BooleanField(_("ekiple paylaş"), default=False)
    # The queue page's GET parameters (queue, filters, sort) as a query string.
    query = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SavedViewQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("kayıtlı görünüm")
        indexes = [models.Index(fields=["workspace", "owner"])]

    def __str__(self) -> str:
        return self.name

    def params(self) -> QueryDict:
        return QueryDict(self.query)
