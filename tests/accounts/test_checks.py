"""destek/accounts/checks.py: `destek check --deploy` names what is unsafe in the configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _check(data: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DESTEK_", "DATABASE_", "REDIS_", "SECRET_KEY", "ALLOWED_", "DJANGO_")
        )
    }
    clean |= {"DESTEK_DATA_DIR": str(data), **env}
    return subprocess.run(
        [sys.executable, "-m", "destek", "check", "--deploy"],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _ids(result: subprocess.CompletedProcess[str]) -> set[str]:
    import re

    return set(re.findall(r"\((destek\.[EW]\d+|security\.W\d+)\)", result.stdout + result.stderr))


def test_the_embedded_default_is_reported_as_unsafe_for_production(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)

    result = _check(data, DESTEK_DEBUG="1", ALLOWED_HOSTS="*")

    assert result.returncode == 1  # an error (debug) makes the check fail
    assert {"destek.E001", "destek.W001", "destek.W002", "destek.W003", "destek.W006"} <= _ids(
        result
    )
    assert "DESTEK_DEBUG is on" in result.stderr


def test_weak_throttling_and_passwords_are_reported(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)

    result = _check(data, DESTEK_LOGIN_FAILURE_LIMIT="0", DESTEK_PASSWORD_MIN_LENGTH="6")

    assert {"destek.E003", "destek.W004"} <= _ids(result)


def test_a_production_configuration_passes(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)

    result = _check(
        data,
        DESTEK_BASE_URL="https://destek.example.com",
        ALLOWED_HOSTS="destek.example.com",
        DESTEK_EMAIL_URL="smtp://kullanici:parola@mail.example.com:587",
    )

    assert result.returncode == 0, result.stderr
    assert _ids(result) == set()
    assert "System check identified no issues" in result.stdout
