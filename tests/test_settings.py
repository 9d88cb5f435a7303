"""Configuration from the environment: destek/lib/env.py and what destek/settings.py makes of it.

Settings are imported in a fresh interpreter for each environment, exactly as a process would
start, and the values they chose are printed as JSON.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from destek.lib.env import data_dir, env_bool, env_int, env_list, env_str, generated_secret

REPO = Path(__file__).resolve().parent.parent
SHOW_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "DB_NAME": str(settings.DATABASES["default"]["NAME"]),
    "DB_HOST": settings.DATABASES["default"].get("HOST", ""),
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "CACHE_LOCATION": settings.CACHES["default"].get("LOCATION", ""),
    "HUEY": {key: value for key, value in settings.HUEY.items()},
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "BASE_URL": settings.BASE_URL,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "TRIAL_DAYS": settings.TRIAL_DAYS,
}))
"""


def load_settings(data: Path, **env: str) -> dict:
    result = run_settings(data, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def run_settings(data: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DESTEK_", "DATABASE_", "REDIS_", "SECRET_KEY", "ALLOWED_"))
    }
    clean |= {"DJANGO_SETTINGS_MODULE": "destek.settings", "DESTEK_DATA_DIR": str(data), **env}
    return subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


# --- the helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["1", "true", "Yes", " on "])
def test_env_bool_reads_true(monkeypatch, raw):
    monkeypatch.setenv("DESTEK_FLAG", raw)
    assert env_bool("DESTEK_FLAG") is True


@pytest.mark.parametrize("raw", ["0", "false", "NO", "off", ""])
def test_env_bool_reads_false(monkeypatch, raw):
    monkeypatch.setenv("DESTEK_FLAG", raw)
    assert env_bool("DESTEK_FLAG", True) is False


def test_env_bool_without_the_variable_is_the_default(monkeypatch):
    monkeypatch.delenv("DESTEK_FLAG", raising=False)
    assert env_bool("DESTEK_FLAG", True) is True


def test_env_bool_names_the_variable_on_a_bad_value(monkeypatch):
    monkeypatch.setenv("DESTEK_FLAG", "evet")
    with pytest.raises(ImproperlyConfigured, match="DESTEK_FLAG='evet' is not a boolean"):
        env_bool("DESTEK_FLAG")


def test_env_int_names_the_variable_on_a_bad_value(monkeypatch):
    monkeypatch.setenv("DESTEK_SEATS", "25 kişi")
    with pytest.raises(ImproperlyConfigured, match="DESTEK_SEATS='25 kişi' is not a whole number"):
        env_int("DESTEK_SEATS", 25)


def test_env_int_reads_a_number_and_defaults_when_blank(monkeypatch):
    monkeypatch.setenv("DESTEK_SEATS", "40")
    assert env_int("DESTEK_SEATS", 25) == 40
    monkeypatch.setenv("DESTEK_SEATS", " ")
    assert env_int("DESTEK_SEATS", 25) == 25


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "destek.example.com, ,www.example.com")
    assert env_list("ALLOWED_HOSTS", []) == ["destek.example.com", "www.example.com"]


def test_env_str_reads_a_secret_from_the_file_variable(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3kr1t\n", encoding="utf-8")
    monkeypatch.setenv("SECRET_KEY", "ignored when the file is given")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    assert env_str("SECRET_KEY") == "s3kr1t"


def test_env_str_names_the_file_variable_when_the_file_is_missing(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE=.*missing.* cannot be read"):
        env_str("SECRET_KEY")


def test_data_dir_is_created(monkeypatch, tmp_path):
    monkeypatch.setenv("DESTEK_DATA_DIR", str(tmp_path / "a" / "b"))
    assert data_dir() == tmp_path / "a" / "b"
    assert (tmp_path / "a" / "b").is_dir()


def test_data_dir_names_the_variable_when_it_cannot_be_created(monkeypatch, tmp_path):
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("DESTEK_DATA_DIR", str(tmp_path / "file" / "data"))
    with pytest.raises(ImproperlyConfigured, match="DESTEK_DATA_DIR=.* cannot be created"):
        data_dir()


def test_generated_secret_is_written_once_private_and_reused(tmp_path):
    first = generated_secret(tmp_path, "secret_key")
    path = tmp_path / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 50
    assert generated_secret(tmp_path, "secret_key", make=lambda: "another") == first


# --- settings.py in a fresh process ---------------------------------------------------------


def test_embedded_defaults_keep_everything_in_the_data_directory(tmp_path):
    values = load_settings(tmp_path)
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DB_NAME"] == str(tmp_path / "destek.sqlite3")
    assert values["HUEY"]["huey_class"] == "huey.SqliteHuey"
    assert values["HUEY"]["filename"] == str(tmp_path / "jobs.sqlite3")
    assert values["CACHE"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["EMAIL_BACKEND"] == "destek.lib.system_mail.DataDirEmailBackend"
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]


def test_secret_key_is_generated_into_the_data_directory_once(tmp_path):
    first = load_settings(tmp_path)["SECRET_KEY"]
    key_file = tmp_path / "secret_key"
    assert key_file.read_text(encoding="utf-8") == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_settings(tmp_path)["SECRET_KEY"] == first


def test_secret_key_from_the_environment_wins_and_writes_no_file(tmp_path):
    values = load_settings(tmp_path, SECRET_KEY="from-the-environment")
    assert values["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_secret_key_file_is_read(tmp_path):
    secret = tmp_path / "mounted-secret"
    secret.write_text("from-a-file\n", encoding="utf-8")
    assert load_settings(tmp_path, SECRET_KEY_FILE=str(secret))["SECRET_KEY"] == "from-a-file"


def test_database_url_selects_postgresql(tmp_path):
    values = load_settings(tmp_path, DATABASE_URL="postgres://destek:pw@db.internal:5432/destek")
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["DB_NAME"] == "destek"
    assert values["DB_HOST"] == "db.internal"


def test_redis_url_selects_redis_for_jobs_and_cache(tmp_path):
    values = load_settings(tmp_path, REDIS_URL="redis://cache.internal:6379/2")
    assert values["HUEY"]["huey_class"] == "huey.RedisHuey"
    assert values["HUEY"]["url"] == "redis://cache.internal:6379/2"
    assert values["CACHE"] == "django.core.cache.backends.redis.RedisCache"
    assert values["CACHE_LOCATION"] == "redis://cache.internal:6379/2"


def test_https_base_url_makes_cookies_secure(tmp_path):
    values = load_settings(tmp_path, DESTEK_BASE_URL="https://destek.example.com/")
    assert values["BASE_URL"] == "https://destek.example.com"
    assert values["SESSION_COOKIE_SECURE"] is True


def test_a_bad_value_stops_the_start_with_the_variables_name(tmp_path):
    result = run_settings(tmp_path, DESTEK_TRIAL_DAYS="yedi")
    assert result.returncode == 1
    assert "ImproperlyConfigured: DESTEK_TRIAL_DAYS='yedi' is not a whole number." in result.stderr


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from destek import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
