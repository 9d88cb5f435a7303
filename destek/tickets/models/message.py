from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace
from destek.tickets.models.customer import Customer
from destek.tickets.models.ticket import Ticket


class MessageKind(models.TextChoices):
    CUSTOMER = "customer", _("Müşteri mesajı")
    REPLY = "reply", _("Yanıt")
    NOTE = "note", _("Dahili not")
    SYSTEM = "system", _("Sistem")


PUBLIC_KINDS = frozenset({MessageKind.CUSTOMER, MessageKind.REPLY})


class MessageQuerySet(models.QuerySet["Message"]):
    def public(self) -> MessageQuerySet:
        """What the customer may see: never internal notes."""
        return self.filter(kind__in=PUBLIC_KINDS)


class Message(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    # Covered by the (ticket, created_at) index.
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)  # sanitised (nh3) before it is stored
    # The new part of an emailed reply, quotes and signature folded away ("" = all of `text`).
    visible_text = models.TextField(blank=True)
    # A note or reply an automation rule wrote (the rule's name then); ``author`` is empty.
    via_rule = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"])]

    def is_public(self) -> bool:
        return self.kind in PUBLIC_KINDS


def attachment_path(instance: Attachment, filename: str) -> str:
    # Content-addressed under the workspace: names never collide and never leak customer text.
    return f"attachments/{instance.workspace_id}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120, default="application/octet-stream")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    inline = models.BooleanField(default=False)
    # An inline image's Content-ID (without <>): the mail's HTML shows it as "cid:…".
    content_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
