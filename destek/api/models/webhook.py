from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace
from destek.lib.crypto import decrypt, encrypt


class WebhookEvent(models.TextChoices):
    TICKET_CREATED = "ticket.created", _("Talep oluşturuldu")
    TICKET_UPDATED = "ticket.updated", _("Talep değişti")
    TICKET_ASSIGNED = "ticket.assigned", _("Talep atandı")
    MESSAGE_CREATED = "message.created", _("Mesaj eklendi")
    SLA_BREACHED = "sla.breached", _("SLA ihlali")
    CSAT_RECEIVED = "csat.received", _("Memnuniyet puanı geldi")


class WebhookEndpoint(models.Model):
    """An address an admin registered to hear about changes in the workspace."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    url = models.URLField(_("adres"), max_length=500)
    events = models.JSONField(_("olaylar"), default=list)
    secret_encrypted = models.TextField(editable=False)
    is_active = models.BooleanField(_("etkin"), default=True)
    # Internal endpoints (the team's own tools) also hear about internal notes.
    is_internal = models.BooleanField(_("dahili (notları da alır)"), default=False)
    failure_count = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=255, blank=True)
    # A sender holds the endpoint until then, so deliveries for a ticket go out one by one.
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("webhook")

    def __str__(self) -> str:
        return self.url

    @property
    def secret(self) -> str:
        return decrypt(self.secret_encrypted)

    def set_new_secret(self) -> str:
        raw = "whsec_" + secrets.token_urlsafe(32)
        self.secret_encrypted = encrypt(raw)
        return raw

    def wants(self, event: str) -> bool:
        return self.is_active and event in self.events


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Bekliyor")
    DELIVERED = "delivered", _("İletildi")
    FAILED = "failed", _("Başarısız")


class WebhookDelivery(models.Model):
    """One event for one endpoint; written in the transaction of the change it tells about."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40)
    # Deliveries about one ticket go out in the order they were written (ordering key).
    ticket_id = models.BigIntegerField(null=True, blank=True)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True)
    # Each attempt: {"at", "status_code", "error", "ms"}; the log the admin page shows.
    log = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_due"),
            models.Index(fields=["endpoint", "ticket_id", "status"], name="webhook_ticket_order"),
        ]
