from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace


class Organization(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("ad"), max_length=200)
    domain = models.CharField(_("alan adı"), max_length=200, blank=True)
    notes = models.TextField(_("notlar"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kurum")

    def __str__(self) -> str:
        return self.name


class CustomerQuerySet(models.QuerySet["Customer"]):
    def for_workspace(self, workspace: Workspace) -> CustomerQuerySet:
        return self.filter(workspace=workspace)


class Customer(models.Model):
    """Someone who writes to the support address; identified by email within a workspace."""

    # Covered by the unique (workspace, email) index.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    email = models.EmailField(_("e-posta"))
    name = models.CharField(_("ad soyad"), max_length=200, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    notes = models.TextField(_("notlar"), blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customers",
        verbose_name=_("kurum"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("müşteri")
        verbose_name_plural = _("müşteriler")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "email"], name="customer_email_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email
