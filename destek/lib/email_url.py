"""Turning ``DESTEK_EMAIL_URL`` (smtp:// or smtps://) into Django's SMTP settings."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def smtp_settings_from_url(url: str) -> dict[str, object]:
    """``smtp://user:pass@host:587`` (STARTTLS when the server offers it with ?starttls=1) or
    ``smtps://user:pass@host:465`` (implicit TLS)."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ImproperlyConfigured(
            "DESTEK_EMAIL_URL must look like smtp://user:password@host:587 or smtps://…:465"
        )
    query = parse_qs(parts.query)
    implicit_tls = parts.scheme == "smtps"
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if implicit_tls else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": implicit_tls,
        "EMAIL_USE_TLS": (not implicit_tls) and query.get("starttls", ["0"])[0] in {"1", "true"},
        "EMAIL_TIMEOUT": 20,
    }
