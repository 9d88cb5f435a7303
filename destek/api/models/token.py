from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Membership

TOKEN_PREFIX = "dst_"


class Scope(models.TextChoices):
    READ = "read", _("Okuma")
    WRITE = "write", _("Yazma (talepler, müşteriler)")
    ADMIN = "admin", _("Yönetim (kategoriler, webhook'lar)")


def hash_token(raw: str) -> str:
    """Tokens carry 256 random bits, so a plain SHA-256 is enough to make the stored value
    useless to a reader of the database (no salt or slow hash needed, unlike passwords)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, now: datetime | None = None) -> ApiTokenQuerySet:
        now = now or timezone.now()
        return self.filter(
            revoked_at__isnull=True, membership__is_active=True, membership__user__is_active=True
        ).filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A personal API token: acts as its member, with that member's role, in one workspace."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("ad"), max_length=80)
    prefix = models.CharField(max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("yetki kapsamı"), default=list)
    expires_at = models.DateTimeField(_("son geçerlilik"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("son kullanım"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API anahtarı")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(
        cls,
        *,
        membership: Membership,
        name: str,
        scopes: list[str],
        expires_at: datetime | None = None,
    ) -> tuple[ApiToken, str]:
        """A new token and its raw value, which is shown once and never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            membership=membership,
            name=name.strip()[:80],
            prefix=raw[: len(TOKEN_PREFIX) + 6],
            token_hash=hash_token(raw),
            scopes=sorted(set(scopes) & set(Scope.values)),
            expires_at=expires_at,
        )
        return token, raw

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class IdempotencyRecord(models.Model):
    """The answer given to a create request with an ``Idempotency-Key``: the same key from the
    same token gets the same answer again instead of a second object."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotency_token_key"),
        ]
