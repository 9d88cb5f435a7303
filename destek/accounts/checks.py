"""``destek check --deploy``: what is unsafe in the current configuration, besides Django's own
deployment checks (security.W0xx). Each message says which environment variable fixes it."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


def _file_open_to_others(path: Path) -> bool:
    return path.exists() and bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))


@register(Tags.security, deploy=True)
def destek_deploy_checks(app_configs: Any = None, **kwargs: Any) -> list[Warning | Error]:
    problems: list[Warning | Error] = []
    if settings.DEBUG:
        problems.append(
            Error(
                "DESTEK_DEBUG is on: error pages show code, settings and data.",
                hint="Unset DESTEK_DEBUG in production.",
                id="destek.E001",
            )
        )
    if not settings.BASE_URL.startswith("https://"):
        problems.append(
            Warning(
                f"DESTEK_BASE_URL={settings.BASE_URL} is not HTTPS: passwords, session cookies "
                "and ticket contents cross the network in clear; no HSTS, no secure cookies.",
                hint="Serve Destek behind TLS and set DESTEK_BASE_URL=https://…",
                id="destek.W001",
            )
        )
    if "*" in settings.ALLOWED_HOSTS:
        problems.append(
            Warning(
                "ALLOWED_HOSTS contains '*': any Host header is accepted.",
                hint="List the host names Destek is served under.",
                id="destek.W002",
            )
        )
    for name in ("secret_key", "fernet_key"):
        if _file_open_to_others(Path(settings.DATA_DIR) / name):
            problems.append(
                Error(
                    f"The data directory's {name} file is readable by other users.",
                    hint=f"chmod 600 {name} in DESTEK_DATA_DIR.",
                    id="destek.E002",
                )
            )
    if _file_open_to_others(Path(settings.DATA_DIR)):
        problems.append(
            Warning(
                "The data directory is open to other users of this machine (database, raw "
                "mail, attachments and keys live there).",
                hint="chmod 700 DESTEK_DATA_DIR.",
                id="destek.W003",
            )
        )
    if settings.LOGIN_FAILURE_LIMIT <= 0 or settings.LOGIN_IP_FAILURE_LIMIT <= 0:
        problems.append(
            Error(
                "Login throttling is off (DESTEK_LOGIN_FAILURE_LIMIT or "
                "DESTEK_LOGIN_IP_FAILURE_LIMIT is 0): passwords can be guessed at full speed.",
                id="destek.E003",
            )
        )
    min_length = _min_password_length()
    if min_length < 10:
        problems.append(
            Warning(
                f"Passwords may be as short as {min_length} characters.",
                hint="Set DESTEK_PASSWORD_MIN_LENGTH to 10 or more.",
                id="destek.W004",
            )
        )
    if settings.SESSION_COOKIE_AGE > 7 * 24 * 3600:
        problems.append(
            Warning(
                "Sessions last longer than a week (DESTEK_SESSION_HOURS).",
                id="destek.W005",
            )
        )
    if not settings.EMAIL_URL:
        problems.append(
            Warning(
                "DESTEK_EMAIL_URL is not set: password resets and invitations are kept in the "
                "data directory instead of being sent.",
                id="destek.W006",
            )
        )
    return problems


def _min_password_length() -> int:
    for validator in settings.AUTH_PASSWORD_VALIDATORS:
        if validator["NAME"].endswith("MinimumLengthValidator"):
            return int(validator.get("OPTIONS", {}).get("min_length", 8))
    return 0
