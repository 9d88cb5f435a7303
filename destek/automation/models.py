"""Automation rules (DESIGN §6): when something happens to a ticket and the conditions hold, the
rule's actions run, each through a named ticket action that names the rule on the timeline."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace


class Trigger(models.TextChoices):
    TICKET_CREATED = "ticket_created", _("Yeni talep geldiğinde")
    CUSTOMER_REPLIED = "customer_replied", _("Müşteri yanıt verdiğinde")
    STATUS_CHANGED = "status_changed", _("Durum değiştiğinde")
    SLA_NEAR_BREACH = "sla_near_breach", _("SLA süresinin %80'i dolduğunda")
    SLA_BREACHED = "sla_breached", _("SLA süresi aşıldığında")


class Match(models.TextChoices):
    ALL = "all", _("Koşulların tümü sağlanınca")
    ANY = "any", _("Koşullardan biri sağlanınca")


class RuleQuerySet(models.QuerySet["Rule"]):
    def for_workspace(self, workspace: Workspace) -> RuleQuerySet:
        return self.filter(workspace=workspace)

    def active(self) -> RuleQuerySet:
        return self.filter(is_active=True)


class Rule(models.Model):
    """One rule. ``conditions`` and ``actions`` are lists of ``{"kind": …, "value": …}`` checked
    by :mod:`destek.automation.schema` before they are stored."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("ad"), max_length=120)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(_("etkin"), default=True)
    trigger = models.CharField(_("ne zaman"), max_length=20, choices=Trigger.choices)
    match = models.CharField(_("koşul eşleşmesi"), max_length=3, choices=Match.choices)
    conditions = models.JSONField(default=list, blank=True)
    actions = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = RuleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("kural")
        verbose_name_plural = _("kurallar")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="rule_name_unique"),
        ]
        indexes = [models.Index(fields=["workspace", "is_active", "position"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        super().save(*args, **kwargs)
        from destek.automation.cache import invalidate

        invalidate(self.workspace_id)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        workspace_id = self.workspace_id
        result = super().delete(*args, **kwargs)
        from destek.automation.cache import invalidate

        invalidate(workspace_id)
        return result
