"""The mail fetching settings, read from the environment as a starting process reads them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SHOW = """
import json
from django.conf import settings
print(json.dumps({
    "poll": settings.MAIL_POLL_SECONDS,
    "lease": settings.MAIL_LEASE_SECONDS,
    "timeout": settings.MAIL_TIMEOUT_SECONDS,
    "ca": settings.MAIL_CA_FILE,
}))
"""


def run_with(data: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DESTEK_", "DATABASE_", "REDIS_"))
    }
    clean |= {"DJANGO_SETTINGS_MODULE": "destek.settings", "DESTEK_DATA_DIR": str(data), **env}
    return subprocess.run(
        [sys.executable, "-c", SHOW], env=clean, capture_output=True, text=True, timeout=60
    )


def test_defaults_poll_every_minute_and_trust_only_the_system_cas(tmp_path):
    result = run_with(tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"poll": 60, "lease": 300, "timeout": 30, "ca": ""}


def test_the_environment_sets_them(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    result = run_with(tmp_path, DESTEK_POLL_SECONDS="15", DESTEK_MAIL_CA_FILE=str(ca))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["poll"] == 15
    assert json.loads(result.stdout)["ca"] == str(ca)


def test_a_ca_file_that_is_not_there_fails_at_start(tmp_path):
    result = run_with(tmp_path, DESTEK_MAIL_CA_FILE=str(tmp_path / "yok.pem"))
    assert result.returncode != 0
    assert "DESTEK_MAIL_CA_FILE" in result.stderr
    assert "is not a readable file" in result.stderr


def test_a_poll_interval_that_is_not_a_number_fails_at_start(tmp_path):
    result = run_with(tmp_path, DESTEK_POLL_SECONDS="bir dakika")
    assert result.returncode != 0
    assert "DESTEK_POLL_SECONDS='bir dakika' is not a whole number." in result.stderr
