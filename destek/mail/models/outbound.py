from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace


class OutboundKind(models.TextChoices):
    REPLY = "reply", _("Yanıt")
    ACKNOWLEDGEMENT = "acknowledgement", _("Alındı yanıtı")
    NOTIFICATION = "notification", _("Bildirim")
    REMINDER = "reminder", _("Hatırlatma")


class OutboundStatus(models.TextChoices):
    QUEUED = "queued", _("Sırada")
    SENDING = "sending", _("Gönderiliyor")
    SENT = "sent", _("Gönderildi")
    FAILED = "failed", _("Başarısız")


class CopyState(models.TextChoices):
    """The copy in the mailbox's IMAP Sent folder (only when the mailbox keeps one)."""

    NONE = "", _("Kopya yok")
    PENDING = "pending", _("Kaydedilecek")
    SAVED = "saved", _("Kaydedildi")
    FAILED = "failed", _("Kaydedilemedi")


class OutboundEmail(models.Model):
    """The outbox: a mail Destek owes someone, written in the same transaction as its cause and
    sent by a worker; failures stay here, visible and resendable."""

    # Covered by the (workspace, status) index.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    mailbox = models.ForeignKey(
        "mail.Mailbox", on_delete=models.SET_NULL, null=True, blank=True, related_name="outbound"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="outbound"
    )
    ticket_message = models.ForeignKey(
        "tickets.Message", on_delete=models.CASCADE, null=True, blank=True, related_name="outbound"
    )
    kind = models.CharField(max_length=20, choices=OutboundKind.choices)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=998)
    message_id = models.CharField(max_length=998, unique=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)
    # Automatic mail (acknowledgements, notifications) is rendered when queued and kept here;
    # a reply's body is its ticket message.
    body = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=OutboundStatus.choices, default=OutboundStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # A portal sign-in link is a credential: such mail is never copied to the Sent folder.
    holds_sign_in_link = models.BooleanField(default=False)
    copy_state = models.CharField(max_length=10, choices=CopyState.choices, blank=True, default="")
    copy_attempts = models.PositiveIntegerField(default=0)
    copy_next_at = models.DateTimeField(null=True, blank=True)
    copy_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["workspace", "status"]),
            models.Index(
                fields=["copy_next_at"],
                condition=models.Q(copy_state="pending"),
                name="outbound_copy_due",
            ),
        ]
