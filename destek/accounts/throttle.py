"""Login throttling: too many wrong passwords or codes lock the account, and separately the
client address, for a while (settings LOGIN_FAILURE_LIMIT, LOGIN_IP_FAILURE_LIMIT,
LOGIN_LOCKOUT_MINUTES). Failures are rows in the database, so every web process sees them."""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from destek.accounts.models import LoginFailure


def _window_start():
    return timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _remaining_minutes(oldest) -> int:
    until = oldest + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return max(1, math.ceil((until - timezone.now()).total_seconds() / 60))


def locked_for(email: str, ip: str | None) -> tuple[str, int] | None:
    """("account" | "ip", minutes left) while the account or the address is locked out."""
    recent = LoginFailure.objects.filter(created_at__gte=_window_start())
    checks = [("account", recent.filter(email=email.strip().lower()), settings.LOGIN_FAILURE_LIMIT)]
    if ip:
        checks.append(("ip", recent.filter(ip_address=ip), settings.LOGIN_IP_FAILURE_LIMIT))
    for kind, failures, limit in checks:
        stamps = list(failures.order_by("-created_at").values_list("created_at", flat=True)[:limit])
        if len(stamps) >= limit:
            # Locked until the oldest of the last `limit` failures leaves the window.
            return kind, _remaining_minutes(stamps[-1])
    return None


def record_failure(email: str, ip: str | None) -> None:
    LoginFailure.objects.create(email=email.strip().lower()[:254], ip_address=ip or None)


def clear(email: str) -> None:
    """A successful login forgives the account's failures (not the address's)."""
    LoginFailure.objects.filter(email=email.strip().lower()).delete()


def purge_old() -> int:
    """Rows older than the window are of no use; the periodic cleanup removes them."""
    deleted, _ = LoginFailure.objects.filter(created_at__lt=_window_start()).delete()
    return deleted
