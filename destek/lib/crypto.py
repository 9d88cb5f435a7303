"""Secrets at rest (mailbox passwords): Fernet with key rotation (MultiFernet).

Keys come from ``DESTEK_FERNET_KEYS`` (comma-separated, newest first) or, when that is unset,
from a key generated once into the data directory. Encrypting always uses the first key;
decrypting tries every key, so adding a new key in front and running
``destek mailbox rotate-keys`` moves everything over without downtime.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class SecretUnreadable(ValueError):
    """A stored secret that none of the configured keys can open."""


@lru_cache(maxsize=1)
def _box() -> MultiFernet:
    keys = settings.FERNET_KEYS
    if not keys:
        raise ImproperlyConfigured("No encryption key: set DESTEK_FERNET_KEYS.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "DESTEK_FERNET_KEYS holds a value that is not a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from exc


def reset_keys() -> None:
    """Forget the cached keys (after settings change, e.g. in tests)."""
    _box.cache_clear()


def encrypt(plain: str) -> str:
    if not plain:
        return ""
    return _box().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _box().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise SecretUnreadable("no configured key opens this secret") from exc


def rotate(token: str) -> str:
    """The same secret, encrypted with the newest key."""
    if not token:
        return ""
    try:
        return _box().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise SecretUnreadable("no configured key opens this secret") from exc


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")
