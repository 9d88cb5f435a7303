"""Two-step login for staff: a TOTP authenticator app (RFC 6238) plus one-time recovery codes.

The secret is stored encrypted; recovery codes are stored as SHA-256 hashes and shown once.
"""

from __future__ import annotations

import hashlib
import secrets

import pyotp
import segno
from django.db import transaction
from django.http import HttpRequest

from destek.accounts import audit
from destek.accounts.models import TwoFactor, User
from destek.lib import crypto

ISSUER = "Destek"
RECOVERY_CODES = 10
# One step either side: phones whose clocks drift by up to 30 s still work.
VALID_WINDOW = 1


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (no image request, no script)."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#111", light="#fff")


def device_for(user: User) -> TwoFactor | None:
    return TwoFactor.objects.filter(user=user).first()


def is_enabled(user: User) -> bool:
    return TwoFactor.objects.filter(user=user).exists()


def _matching_step(secret: str, code: str) -> int | None:
    """The time step ``code`` belongs to, within the allowed drift, or None."""
    totp = pyotp.TOTP(secret)
    code = code.strip().replace(" ", "")
    if not code.isdigit():
        return None
    now_step = totp.timecode(_now())
    for step in range(now_step - VALID_WINDOW, now_step + VALID_WINDOW + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _now():
    from django.utils import timezone

    return timezone.now()


def code_matches_secret(secret: str, code: str) -> bool:
    """For the set-up step, before a device exists."""
    return _matching_step(secret, code) is not None


def _hash(code: str) -> str:
    normal = code.strip().replace("-", "").replace(" ", "").lower()
    return hashlib.sha256(normal.encode()).hexdigest()


def _new_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)  # 10 hex digits: 40 bits, shown as xxxxx-xxxxx
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


@transaction.atomic
def enable(*, user: User, secret: str, request: HttpRequest | None = None) -> list[str]:
    """Turn two-step login on with a confirmed secret; returns the recovery codes to show once."""
    codes = _new_codes()
    TwoFactor.objects.update_or_create(
        user=user,
        defaults={
            "secret": crypto.encrypt(secret),
            "recovery_codes": [_hash(c) for c in codes],
            "last_step": 0,
        },
    )
    audit.record_for_user("2fa.enabled", user=user, actor=user, request=request)
    return codes


@transaction.atomic
def disable(*, user: User, request: HttpRequest | None = None) -> None:
    TwoFactor.objects.filter(user=user).delete()
    audit.record_for_user("2fa.disabled", user=user, actor=user, request=request)


@transaction.atomic
def regenerate_codes(*, user: User, request: HttpRequest | None = None) -> list[str]:
    device = TwoFactor.objects.select_for_update().get(user=user)
    codes = _new_codes()
    device.recovery_codes = [_hash(c) for c in codes]
    device.save(update_fields=["recovery_codes"])
    audit.record_for_user("2fa.recovery_regenerated", user=user, actor=user, request=request)
    return codes


@transaction.atomic
def verify(*, user: User, code: str) -> str | None:
    """Check a login code: "totp" or "recovery" when it is good (a recovery code is used up, a
    TOTP code cannot be replayed), None otherwise."""
    device = TwoFactor.objects.select_for_update().filter(user=user).first()
    if device is None or not code.strip():
        return None
    step = _matching_step(crypto.decrypt(device.secret), code)
    if step is not None:
        if step <= device.last_step:
            return None
        device.last_step = step
        device.save(update_fields=["last_step"])
        return "totp"
    hashed = _hash(code)
    if hashed in device.recovery_codes:
        device.recovery_codes = [h for h in device.recovery_codes if h != hashed]
        device.save(update_fields=["recovery_codes"])
        return "recovery"
    return None


def remaining_codes(user: User) -> int:
    device = device_for(user)
    return len(device.recovery_codes) if device else 0
