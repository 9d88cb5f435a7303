from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace
from destek.lib import crypto


class Security(models.TextChoices):
    SSL = "ssl", _("SSL/TLS")
    STARTTLS = "starttls", _("STARTTLS")
    NONE = "none", _("Şifresiz")


class MailboxQuerySet(models.QuerySet["Mailbox"]):
    def for_workspace(self, workspace: Workspace) -> MailboxQuerySet:
        return self.filter(workspace=workspace)

    def active(self) -> MailboxQuerySet:
        return self.filter(is_active=True)

    def fetchable(self) -> MailboxQuerySet:
        """Active mailboxes with IMAP settings (pipe-only mailboxes receive through ingest)."""
        return self.active().exclude(imap_host="")

    def due(self, now: datetime) -> MailboxQuerySet:
        return self.fetchable().filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )


class Mailbox(models.Model):
    """One support address: IMAP in, SMTP out. Without IMAP settings mail arrives only through
    ``destek ingest`` or ``destek smtpd``; without SMTP settings outgoing mail waits."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    address = models.EmailField(_("adres"), unique=True)
    display_name = models.CharField(_("görünen ad"), max_length=120, blank=True)
    is_active = models.BooleanField(_("etkin"), default=True)

    imap_host = models.CharField(_("IMAP sunucusu"), max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(_("IMAP portu"), null=True, blank=True)
    imap_security = models.CharField(
        _("IMAP güvenliği"), max_length=10, choices=Security.choices, default=Security.SSL
    )
    imap_user = models.CharField(_("IMAP kullanıcısı"), max_length=255, blank=True)
    imap_password_encrypted = models.TextField(blank=True, editable=False)
    imap_folder = models.CharField(_("IMAP klasörü"), max_length=255, default="INBOX")

    smtp_host = models.CharField(_("SMTP sunucusu"), max_length=255, blank=True)
    smtp_port = models.PositiveIntegerField(_("SMTP portu"), null=True, blank=True)
    smtp_security = models.CharField(
        _("SMTP güvenliği"), max_length=10, choices=Security.choices, default=Security.SSL
    )
    smtp_user = models.CharField(_("SMTP kullanıcısı"), max_length=255, blank=True)
    smtp_password_encrypted = models.TextField(blank=True, editable=False)

    signature = models.TextField(_("imza"), blank=True)
    # Only mail that names this address in To/Cc becomes a ticket (a personal mailbox as source).
    only_addressed = models.BooleanField(_("yalnızca bu adrese gelenler"), default=False)
    acknowledge = models.BooleanField(_("otomatik alındı yanıtı"), default=True)
    acknowledgement_subject = models.CharField(
        _("alındı yanıtı konusu"), max_length=255, blank=True
    )
    acknowledgement_body = models.TextField(_("alındı yanıtı metni"), blank=True)
    # A copy of what we send to customers, appended to the IMAP Sent folder, so the business's
    # own mail client shows the answers too.
    sent_copy = models.BooleanField(_("gönderilenleri IMAP'e kaydet"), default=False)
    sent_folder = models.CharField(_("Gönderilmiş klasörü"), max_length=255, blank=True)
    # First connection: import mail of the last N days (None: only mail from now on).
    import_days = models.PositiveIntegerField(_("geçmiş günler"), null=True, blank=True)
    import_total = models.PositiveIntegerField(default=0)
    import_done = models.PositiveIntegerField(default=0)

    # Fetch state: new mail is everything above last_uid under this uidvalidity (DESIGN §5).
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_check_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    failure_count = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    failure_notified_at = models.DateTimeField(null=True, blank=True)
    # Lease: the worker holding it may fetch this mailbox until lease_until (no double fetch).
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now)

    objects = MailboxQuerySet.as_manager()

    class Meta:
        ordering = ["address"]
        verbose_name = _("posta kutusu")
        verbose_name_plural = _("posta kutuları")

    def __str__(self) -> str:
        return self.address

    @property
    def imap_password(self) -> str:
        return crypto.decrypt(self.imap_password_encrypted)

    @imap_password.setter
    def imap_password(self, value: str) -> None:
        self.imap_password_encrypted = crypto.encrypt(value)

    @property
    def smtp_password(self) -> str:
        return crypto.decrypt(self.smtp_password_encrypted)

    @smtp_password.setter
    def smtp_password(self, value: str) -> None:
        self.smtp_password_encrypted = crypto.encrypt(value)

    def has_imap(self) -> bool:
        return bool(self.imap_host)

    def has_smtp(self) -> bool:
        return bool(self.smtp_host)

    def is_failing(self) -> bool:
        return self.failure_count > 0 and bool(self.last_error)
