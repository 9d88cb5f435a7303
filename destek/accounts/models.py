"""Tenants, people and their roles: the who of Destek (DESIGN §1, §3)."""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from destek.accounts.settings_cache import new_settings_version


def _trial_end():
    return timezone.now() + timedelta(days=settings.TRIAL_DAYS)


class Workspace(models.Model):
    """One business: everything else belongs to exactly one workspace."""

    name = models.CharField(_("ad"), max_length=120)
    slug = models.SlugField(
        _("kısa ad"),
        max_length=50,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9-]*$", _("Küçük harf, rakam ve tire."))],
    )
    prefix = models.CharField(
        _("takip kodu öneki"),
        max_length=8,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9]{1,7}$", _("2–8 büyük harf veya rakam."))],
    )
    time_zone = models.CharField(_("saat dilimi"), max_length=64, default="Europe/Istanbul")
    language = models.CharField(_("dil"), max_length=8, default="tr")
    trial_ends_at = models.DateTimeField(_("deneme bitişi"), default=_trial_end)
    activated_at = models.DateTimeField(_("etkinleştirilme"), null=True, blank=True)
    seat_limit = models.PositiveIntegerField(_("koltuk sınırı"), default=25)
    auto_close_days = models.PositiveIntegerField(_("otomatik kapanış (gün)"), default=7)
    # Remind the customer of a ticket waiting on them (pending) after this many days; off when
    # empty. One reminder per pending stretch.
    pending_reminder_days = models.PositiveIntegerField(
        _("bekleyen talep hatırlatması (gün)"), null=True, blank=True
    )
    # Members without two-factor authentication are sent to set it up before anything else.
    require_2fa = models.BooleanField(_("iki adımlı doğrulama zorunlu"), default=False)
    # Last tracking number handed out; bumped inside the ticket-creating transaction (gap-free).
    ticket_counter = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Branding of the customer portal (/s/<slug>/): a hex colour and a small raster logo.
    brand_color = models.CharField(
        _("marka rengi"),
        max_length=7,
        default="#1f6feb",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("#RRGGBB biçiminde bir renk."))],
    )
    logo = models.FileField(_("logo"), upload_to="branding/", blank=True)
    portal_intro = models.TextField(_("portal karşılama metni"), blank=True)
    # Sites allowed to frame the portal's form (CSP frame-ancestors), space-separated origins.
    portal_embed_origins = models.TextField(_("formu gömebilecek siteler"), blank=True)
    # DESIGN §3 "KB: edit if allowed": admins always edit the knowledge base, agents when on.
    agents_edit_kb = models.BooleanField(_("temsilciler SSS düzenleyebilir"), default=False)
    # Moved by database triggers whenever something pages keep per process changes
    # (accounts.settings_cache); random at first.
    settings_version = models.BigIntegerField(default=new_settings_version, editable=False)

    class Meta:
        verbose_name = _("çalışma alanı")
        verbose_name_plural = _("çalışma alanları")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Once the row exists the triggers own the version: saving a copy loaded before a
        # change must not put the older version back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "settings_version"
            ]
        super().save(*args, **kwargs)

    def is_read_only(self, now=None) -> bool:
        """A workspace whose trial ended and that nobody activated accepts no changes."""
        now = now or timezone.now()
        return self.activated_at is None and self.trial_ends_at <= now

    def trial_days_left(self, now=None) -> int:
        """Started days count as whole ones: a new 7-day trial has 7 left, its last hour 1."""
        now = now or timezone.now()
        return max(0, math.ceil((self.trial_ends_at - now) / timedelta(days=1)))


_SESSION_SALT = "destek.accounts.User.session"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """A staff person (owner, admin or agent); logs in with email and password."""

    email = models.EmailField(_("e-posta"), unique=True)
    name = models.CharField(_("ad soyad"), max_length=150, blank=True)
    is_active = models.BooleanField(_("etkin"), default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    language = models.CharField(_("dil"), max_length=8, blank=True)
    # Part of the session hash: bumping it logs out every session but the one that bumps it.
    session_version = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("kullanıcı")
        verbose_name_plural = _("kullanıcılar")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@")[0]

    def get_session_auth_hash(self) -> str:
        return self._session_hash(None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret)

    def _session_hash(self, secret: str | None) -> str:
        # Django's hash covers the password only; the version lets a user end other sessions
        # ("log out other sessions") without changing it.
        value = f"{self.password}:{self.session_version}"
        return salted_hmac(_SESSION_SALT, value, secret=secret, algorithm="sha256").hexdigest()


class Role(models.TextChoices):
    OWNER = "owner", _("Hesap sahibi")
    ADMIN = "admin", _("Yönetici")
    AGENT = "agent", _("Temsilci")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_workspace(self, workspace: Workspace) -> MembershipQuerySet:
        return self.filter(workspace=workspace)

    def for_user(self, user: User) -> MembershipQuerySet:
        return self.filter(user=user)

    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, user__is_active=True)

    def agents(self) -> MembershipQuerySet:
        """People who work tickets: admins and agents."""
        return self.active().filter(role__in=[Role.ADMIN, Role.AGENT])


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rol"), max_length=10, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    # "Müsait": only available agents receive automatic assignments (DESIGN §6).
    is_available = models.BooleanField(_("müsait"), default=True)
    # Optional cap on open tickets automatic assignment may give this agent.
    max_open_tickets = models.PositiveIntegerField(_("en fazla açık talep"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="one_membership_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.workspace} ({self.role})"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self, now=None) -> InvitationQuerySet:
        """Not yet accepted and not expired: these still hold a seat."""
        return self.filter(accepted_at__isnull=True, expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-posta"))
    role = models.CharField(_("rol"), max_length=10, choices=Role.choices, default=Role.AGENT)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["workspace", "email"])]

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.expires_at > now


class AuditLog(models.Model):
    """Who did what to accounts and data; readable by admins (never holds ticket content)."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=64)
    target = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["workspace", "-created_at"])]


class TwoFactor(models.Model):
    """A staff member's TOTP authenticator (RFC 6238) and their unused recovery codes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor"
    )
    secret = models.TextField()  # Fernet-encrypted base32 secret
    # SHA-256 of each recovery code not used yet; a used code is removed.
    recovery_codes = models.JSONField(default=list)
    # The last TOTP time step accepted: a code is good once (no replay within its 30 s).
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)


class LoginFailure(models.Model):
    """A wrong password or code, kept for the lockout window (throttling per account and IP)."""

    email = models.CharField(max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
