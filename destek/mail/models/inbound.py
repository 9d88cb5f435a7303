from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace
from destek.lib.rows import new_row
from destek.mail.models.mailbox import Mailbox


class InboundSource(models.TextChoices):
    IMAP = "imap", _("IMAP")
    PIPE = "pipe", _("MTA borusu")
    SMTP = "smtp", _("SMTP alıcısı")


class InboundStatus(models.TextChoices):
    RECEIVED = "received", _("Alındı")  # stored, not yet processed
    PROCESSED = "processed", _("İşlendi")  # became or joined a ticket
    IGNORED = "ignored", _("Yok sayıldı")  # e.g. a bounce handled, or not addressed to us
    QUARANTINED = "quarantined", _("Karantinada")  # could not be processed: visible, retryable


class IgnoredReason(models.TextChoices):
    NOT_ADDRESSED = "not_addressed", _("Bu adrese gönderilmemiş")
    BOUNCE = "bounce", _("İletilemedi bildirimi")
    DUPLICATE = "duplicate", _("Aynı ileti daha önce alındı")
    LOOP = "loop", _("Kendi adresimizden gelen ileti")


class InboundQuerySet(models.QuerySet["InboundEmail"]):
    def open_mail(self) -> InboundQuerySet:
        """Mail not processed, read by the partial indexes that hold only such mail."""
        return self.exclude(status=InboundStatus.PROCESSED)


class InboundEmail(models.Model):
    """One raw message as it arrived, committed before anything else happens to it."""

    # No index of their own: they only cost writes, and without statistics SQLite looked a
    # batch's digests up by the mailbox's index, reading every stored mail of the mailbox for
    # each batch. The mailbox is covered by (mailbox, sha256); the workspace only by partial
    # indexes, so removing a workspace (rare) reads the table once.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.CASCADE, related_name="inbound", db_index=False
    )
    source = models.CharField(max_length=10, choices=InboundSource.choices)
    # The bytes live in InboundRaw (see there); ``raw`` reads and sets them.
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    message_id = models.CharField(max_length=998, blank=True)
    # The same mail delivered twice (other Received headers, so other bytes) has the same key:
    # sha256 of its Message-ID and parsed content (see destek.mail.ingest.content_key).
    content_key = models.CharField(max_length=64, blank=True)
    # Position in the IMAP folder, when it came from IMAP.
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    uid = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=InboundStatus.choices, default=InboundStatus.RECEIVED
    )
    error = models.TextField(blank=True)
    reason = models.CharField(max_length=20, choices=IgnoredReason.choices, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ticket_message = models.ForeignKey(
        "tickets.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    objects = InboundQuerySet.as_manager()

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            # A redelivery or a re-fetch of the same bytes is the same message.
            models.UniqueConstraint(fields=["mailbox", "sha256"], name="inbound_same_bytes_once"),
            models.UniqueConstraint(
                fields=["mailbox", "uidvalidity", "uid"],
                condition=Q(uid__isnull=False),
                name="inbound_imap_uid_once",
            ),
            # One ticket message per mail, however often and to however many of the
            # workspace's mailboxes it is delivered.
            models.UniqueConstraint(
                fields=["workspace", "content_key"],
                condition=Q(status="processed") & ~Q(content_key=""),
                name="inbound_same_mail_processed_once",
            ),
        ]
        # Mail still open (or ignored) only: the processed bulk never needs finding by status,
        # and finishing a mail then takes it out of these instead of moving it within them.
        # Queries repeat the condition (``open_mail``) so SQLite uses them.
        indexes = [
            models.Index(
                fields=["workspace", "status"],
                condition=~Q(status="processed"),
                name="inbound_open_by_workspace",
            ),
            models.Index(
                fields=["mailbox", "status"],
                condition=~Q(status="processed"),
                name="inbound_open_by_mailbox",
            ),
        ]

    # Bytes given to the constructor or read once, until the row is saved.
    _raw: bytes | None = None
    _raw_unsaved = False

    def save(self, *args, **kwargs) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        if self._raw_unsaved:
            if adding:
                self.raw_row().save(force_insert=True)
            else:
                InboundRaw.objects.update_or_create(
                    inbound_id=self.pk, defaults={"data": self._raw}
                )
                self._raw_unsaved = False

    def raw_row(self) -> InboundRaw:
        """The bytes' own row, for a mail just inserted (the caller writes it, as ``save`` or
        the ingest batch's bulk insert); they count as saved from here on."""
        self._raw_unsaved = False
        return new_row(InboundRaw, inbound_id=self.pk, data=self.raw)

    @property
    def raw(self) -> bytes:
        """The message exactly as it arrived (empty once erased)."""
        if self._raw is None:
            data = None
            if self.pk is not None:
                data = (
                    InboundRaw.objects.filter(inbound_id=self.pk)
                    .values_list("data", flat=True)
                    .first()
                )
            self._raw = bytes(data) if data is not None else b""
        return self._raw

    @raw.setter
    def raw(self, value: bytes) -> None:
        self._raw = bytes(value)
        self._raw_unsaved = True


class InboundRaw(models.Model):
    """The bytes of an InboundEmail, in a row of their own: processing a mail updates its row,
    and SQLite writes a whole row again on every UPDATE (a 5 MB mail's bytes again for a status
    word). Written once, with the mail, and deleted when its contents are erased."""

    inbound = models.OneToOneField(
        InboundEmail, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    data = models.BinaryField()
