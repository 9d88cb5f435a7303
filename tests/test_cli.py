"""The ``destek`` command (destek/cli.py and the management commands behind its verbs).

Most tests here run ``python -m destek …`` for real, each against its own fresh data directory
(an SQLite file of its own), so they never touch the pytest database: that is what an operator
types, and it proves the verbs work end to end, process start-up included.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.urls import path

from destek.accounts.management.commands.createworkspace import password_setup_hint
from destek.accounts.models import Role, User, Workspace
from destek.cli import LONG_RUNNING, Child, command_names, supervise

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "doğru-at-pil-zımba-42"
CREATE = [
    "createworkspace",
    "--name",
    "Anadolu Kahve",
    "--slug",
    "anadolu",
    "--prefix",
    "akv",
    "--owner-email",
    "Patron@Anadolu.test",
    "--owner-password-env",
    "DESTEK_TEST_OWNER_PASSWORD",
    "--admin-email",
    "yonetici@anadolu.test",
]

# A URL configuration without the password-reset pages (see the fallback test below).
urlpatterns = [path("", lambda request: HttpResponse(), name="home")]


def destek_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The caller's environment on a fresh embedded set-up: SQLite and the SQLite job queue in
    ``data_dir``, whatever DATABASE_URL or REDIS_URL the test run itself uses."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DESTEK_DATA_DIR=str(data_dir), **extra)
    return env


def destek(data_dir: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "destek", *args],
        cwd=REPO,
        env=destek_env(data_dir, **extra_env),
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A data directory with a migrated database, copied by each test instead of migrating
    again."""
    data_dir = tmp_path_factory.mktemp("migrated")
    result = destek(data_dir, "migrate", "--no-input", "-v", "0")
    assert result.returncode == 0, result.stderr
    return data_dir


@pytest.fixture
def data_dir(migrated, tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(migrated, target)
    return target


# --- destek --help ------------------------------------------------------------------------


def test_help_lists_every_verb_without_touching_the_data_directory(tmp_path):
    data_dir = tmp_path / "never-created"
    result = destek(data_dir, "--help")
    assert result.returncode == 0
    verbs = {"run", "web", "worker", "manage", "migrate", "createsuperuser"}
    for verb in verbs | set(command_names()):
        assert re.search(rf"^\s+{verb}\b|, {verb}\b|  {verb}\b", result.stdout, re.M), verb
    assert "workspace activate SLUG" in result.stdout
    assert not data_dir.exists()


def test_command_names_are_the_destek_management_commands():
    assert {"createworkspace", "workspace", "demo"} <= set(command_names())


def test_long_running_mail_commands_freeze_what_start_up_made(tmp_path):
    """ingest, fetchmail and the worker start with start-up's objects frozen out of the
    cyclic collector (in a child process: freezing is for the whole process)."""
    assert {"ingest", "fetchmail", "run_huey"} <= LONG_RUNNING
    code = (
        "import gc; from destek import cli; "
        "cli._manage_long_running(['check']); print('frozen', gc.get_freeze_count())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=destek_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split("frozen")[-1]) > 10_000


def test_a_verb_that_is_no_command_fails_with_djangos_message(tmp_path):
    result = destek(tmp_path, "no-such-verb")
    assert result.returncode == 1
    assert "Unknown command: 'no-such-verb'" in result.stderr


def test_a_bad_setting_is_reported_by_name(tmp_path):
    result = destek(tmp_path, "check", DESTEK_DEBUG="maybe")
    assert result.returncode == 2
    assert "configuration error: DESTEK_DEBUG='maybe' is not a boolean" in result.stderr


# --- createworkspace, workspace, demo as subprocesses ------------------------------------


def test_createworkspace_creates_the_workspace_and_tells_how_to_sign_in(data_dir):
    result = destek(data_dir, *CREATE, DESTEK_TEST_OWNER_PASSWORD=PASSWORD)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "Created workspace 'Anadolu Kahve' (slug anadolu, tracking codes AKV-1"
    )
    assert lines[1] == "Open http://127.0.0.1:8000/w/anadolu/"
    # The owner has a password; the admin was created without one and gets a reset link.
    assert lines[2] == "  owner: patron@anadolu.test"
    assert lines[3].startswith(
        "  admin: yonetici@anadolu.test — set a password at "
        "http://127.0.0.1:8000/accounts/password-reset/"
    )
    listing = destek(data_dir, "workspace", "list")
    assert re.match(
        r"anadolu\s+AKV\s+trial until \d{4}-\d\d-\d\d\s+2 members  Anadolu Kahve", listing.stdout
    )


def test_createworkspace_refuses_a_slug_in_use(data_dir):
    env = {"DESTEK_TEST_OWNER_PASSWORD": PASSWORD}
    assert destek(data_dir, *CREATE, **env).returncode == 0
    again = destek(data_dir, *CREATE, **env)
    assert again.returncode == 1
    assert again.stderr.strip() == "CommandError: “anadolu” kısa adı kullanımda."


def test_workspace_activate_ends_the_trial(data_dir):
    assert destek(data_dir, *CREATE, DESTEK_TEST_OWNER_PASSWORD=PASSWORD).returncode == 0
    result = destek(data_dir, "workspace", "activate", "anadolu")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Workspace anadolu is active: its trial no longer limits it.\n"
    listing = destek(data_dir, "workspace", "list")
    assert re.match(r"anadolu\s+AKV\s+active\s+2 members", listing.stdout)


def test_workspace_activate_names_an_unknown_slug(data_dir):
    result = destek(data_dir, "workspace", "activate", "yok")
    assert result.returncode == 1
    assert "no workspace with slug 'yok'" in result.stderr


def test_demo_if_empty_fills_a_fresh_install_once(data_dir):
    first = destek(data_dir, "demo", "--if-empty", "--tickets", "25")
    assert first.returncode == 0, first.stderr
    assert re.search(
        r"Demo workspace .Demo Mağaza. \(demo\) is ready with 2\d tickets", first.stdout
    )
    assert "password 'destek-demo'" in first.stdout
    for login in ("patron@", "yonetici@", "ayse@", "mehmet@", "elif@"):
        assert f"{login}demo.destek.test" in first.stdout
    second = destek(data_dir, "demo", "--if-empty")
    assert second.returncode == 0, second.stderr
    assert second.stdout == "Workspaces exist already; no demo data added.\n"
    listing = destek(data_dir, "workspace", "list")
    assert re.match(r"demo\s+DST\s+active\s+5 members  Demo Mağaza", listing.stdout)


def test_demo_if_empty_leaves_an_install_with_a_workspace_alone(data_dir):
    assert destek(data_dir, *CREATE, DESTEK_TEST_OWNER_PASSWORD=PASSWORD).returncode == 0
    result = destek(data_dir, "demo", "--if-empty")
    assert result.stdout == "Workspaces exist already; no demo data added.\n"
    assert "demo " not in destek(data_dir, "workspace", "list").stdout


# --- destek run ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children_by_parent() -> dict[int, set[int]]:
    children: dict[int, set[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), set()).add(int(stat.parent.name))
    return children


def descendants(pid: int) -> set[int]:
    tree, found, todo = _children_by_parent(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for_page(url: str, process: subprocess.Popen, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "destek run ended before serving"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                return response.status
        # TimeoutError: gunicorn listens before its worker has booted, so on a busy machine the
        # first request can wait longer than one try; the deadline above still bounds it.
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {timeout} s")


def _wait_for_line(log: Path, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while text not in log.read_text(errors="replace"):
        if time.monotonic() > deadline:
            pytest.fail(f"{text!r} not logged within {timeout} s")
        time.sleep(0.2)


def _smtp_greeting(port: int, timeout: float = 30) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                return sock.recv(200)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_run_serves_web_worker_and_smtp_receiver_and_stops_them_on_sigterm(tmp_path):
    port, smtp_port = _free_port(), _free_port()
    env = destek_env(
        tmp_path / "data",
        DESTEK_BIND=f"127.0.0.1:{port}",
        DESTEK_WEB_WORKERS="1",
        DESTEK_SMTPD_LISTEN=f"127.0.0.1:{smtp_port}",
    )
    log = (tmp_path / "run.log").open("w")
    # A session of its own: the cleanup below can then end every process it started.
    process = subprocess.Popen(
        [sys.executable, "-m", "destek", "run"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        status = _wait_for_page(f"http://127.0.0.1:{port}/accounts/login/", process, 60)
        assert status == 200
        children = descendants(process.pid)
        commands = {pid: Path(f"/proc/{pid}/cmdline").read_bytes() for pid in children}
        assert any(b"destek\x00worker" in cmd for cmd in commands.values()), commands
        assert sum(b"gunicorn" in cmd for cmd in commands.values()) >= 2, commands  # master + 1
        assert any(b"destek\x00smtpd" in cmd for cmd in commands.values()), commands
        assert any(b"destek\x00fetchmail" in cmd for cmd in commands.values()), commands
        assert _smtp_greeting(smtp_port).startswith(b"220 ")
        # A worker stopped while still importing never says "Consumer exiting.", nor the
        # fetcher "stopped" before it has its SIGTERM handler: with four children starting on
        # a busy machine, wait until both are up.
        _wait_for_line(tmp_path / "run.log", "Huey consumer started", 60)
        _wait_for_line(tmp_path / "run.log", "Fetching mail every", 60)

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=45) == 0
        deadline = time.monotonic() + 10
        while any(is_running(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in children if is_running(pid)]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
    output = (tmp_path / "run.log").read_text()
    assert f"Destek: http://127.0.0.1:{port}/" in output
    assert "Consumer exiting." in output
    assert "Shutting down: Master" in output
    assert "Destek SMTP receiver stopped." in output
    assert "Destek mail fetcher stopped." in output


# --- supervise: the stop logic of `destek run` without the real servers --------------------


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


SLEEPER = "import time; time.sleep(60)"


def test_supervise_stops_the_others_when_one_child_dies():
    started = time.monotonic()
    code = supervise(
        [
            Child("sleeper", _python(SLEEPER), signal.SIGTERM),
            Child("crasher", _python("raise SystemExit(3)"), signal.SIGTERM),
        ]
    )
    assert code == 3
    assert time.monotonic() - started < 20


def test_supervise_kills_a_child_that_ignores_its_stop_signal():
    stubborn = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"
    started = time.monotonic()
    code = supervise(
        [
            Child("stubborn", _python(stubborn), signal.SIGTERM),
            Child("quitter", _python("pass"), signal.SIGTERM),
        ],
        grace=1,
    )
    # A child that exits on its own is a failure, even with status 0: the service is down.
    assert code == 1
    assert time.monotonic() - started < 20


# --- the commands in-process: exact errors and messages --------------------------------------


def _create(**options: str) -> str:
    out = StringIO()
    defaults = {"name": "Anadolu Kahve", "slug": "anadolu", "prefix": "DST"}
    call_command("createworkspace", stdout=out, **(defaults | options))
    return out.getvalue()


def test_createworkspace_refuses_a_bad_prefix(db):
    with pytest.raises(CommandError, match="prefix: 2–8 büyük harf veya rakam"):
        _create(prefix="D", owner_email="patron@anadolu.test")
    assert not Workspace.objects.exists()


def test_createworkspace_refuses_a_bad_email(db):
    with pytest.raises(CommandError, match="--owner-email: 'patron' is not an email address"):
        _create(owner_email="patron")


def test_createworkspace_wants_the_password_variable_set(db, monkeypatch):
    monkeypatch.delenv("DESTEK_NO_SUCH_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="DESTEK_NO_SUCH_PASSWORD is empty or not set"):
        _create(owner_email="patron@anadolu.test", owner_password_env="DESTEK_NO_SUCH_PASSWORD")
    assert not Workspace.objects.exists()


def test_createworkspace_gives_the_owner_the_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("DESTEK_TEST_OWNER_PASSWORD", PASSWORD)
    _create(owner_email="patron@anadolu.test", owner_password_env="DESTEK_TEST_OWNER_PASSWORD")
    owner = User.objects.get(memberships__role=Role.OWNER)
    assert owner.check_password(PASSWORD)


def test_password_setup_hint_is_a_working_reset_link(db):
    user = User.objects.create_user("yonetici@anadolu.test")
    hint = password_setup_hint(user)
    match = re.fullmatch(
        r"set a password at http://127\.0\.0\.1:8000/accounts/password-reset/([^/]+)/([^/]+)/",
        hint,
    )
    assert match, hint
    assert default_token_generator.check_token(user, match[2])


@pytest.mark.urls("tests.test_cli")
def test_password_setup_hint_without_reset_pages_names_the_command(db):
    user = User.objects.create_user("yonetici@anadolu.test")
    assert password_setup_hint(user) == (
        "set a password with: destek manage changepassword yonetici@anadolu.test"
    )


def test_workspace_activate_twice_says_so(workspace):
    call_command("workspace", "activate", "anadolu")
    out = StringIO()
    call_command("workspace", "activate", "anadolu", stdout=out)
    assert out.getvalue() == "Workspace anadolu was already active.\n"


def test_workspace_list_without_workspaces_says_how_to_make_one(db):
    out = StringIO()
    call_command("workspace", "list", stdout=out)
    assert out.getvalue() == ("No workspaces yet: create one with `destek createworkspace`.\n")


def test_demo_refuses_a_slug_in_use(workspace):
    with pytest.raises(CommandError, match="a workspace with slug 'anadolu' exists"):
        call_command("demo", "--slug", "anadolu")


def test_createsuperuser_takes_an_email_as_username(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--email", "root@destek.test", "--no-input", verbosity=0)
    user = User.objects.get(email="root@destek.test")
    assert user.is_superuser and user.is_staff
    assert user.check_password(PASSWORD)
