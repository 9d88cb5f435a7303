"""The ``destek`` command (DESIGN §10): the process verbs an operator starts (run, web, worker)
in front of Django's management commands, which every other verb falls through to.

``python -m destek`` is the same command.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from destek.lib.env import env_int, env_str

USAGE = """usage: destek VERB [ARGS…]        (or: python -m destek VERB [ARGS…])

Processes:
  run                     migrate, then serve web + worker + mail fetcher + SMTP receiver
                          together (embedded default; DESTEK_SMTPD_LISTEN, empty for no
                          receiver)
  web                     the web server alone: gunicorn on DESTEK_BIND, DESTEK_WEB_WORKERS
  worker                  the background job worker alone: Huey consumer, DESTEK_WORKER_THREADS

Set-up and administration:
  migrate                 apply database migrations
  createsuperuser         create a site superuser (asks for email and password)
  createworkspace         --name N --slug S --prefix DST --owner-email E [--admin-email E]
                          [--owner-password-env VAR]: a new workspace and its owner
  workspace list          every workspace with its state (trial, active, read-only)
  workspace activate SLUG end a workspace's trial for good
  demo [--if-empty]       the demo workspace with realistic Turkish sample data
  manage COMMAND …        any Django management command (check, shell, changepassword, …)

Email:
  mailbox add             --workspace SLUG --address ADDR [--imap-host H …] [--smtp-host H …]
                          a support address (no IMAP: pipe-only; no SMTP: outgoing mail waits)
  mailbox list|test ID    the mailboxes; check one's IMAP and SMTP settings
  mailbox rotate-keys     re-encrypt the stored passwords with the newest key
  fetchmail               [--once] [--mailbox ID]: read new mail over IMAP, every
                          DESTEK_POLL_SECONDS and at once when IMAP IDLE announces it
  ingest                  --mailbox ADDRESS [FILE …]: raw mail from files or stdin (MTA pipe)
  smtpd                   [--listen HOST:PORT]: receive mail over SMTP for the mailboxes'
                          addresses (550 for any other); DESTEK_SMTPD_LISTEN
  export                  --workspace SLUG [--customer EMAIL] [--with-files DIR]: JSON of
                          everything (backup, KVKK request)

Data protection and operations:
  customer export|erase   --workspace SLUG --email ADDR [--output FILE] [--yes]: a KVKK
                          request: everything about one customer as a zip, or erase it
  retention               --workspace SLUG --months N [--apply]: remove the contents of
                          tickets closed more than N months ago (a dry run without --apply)
  backup                  [--output FILE]: database snapshot, attachments and keys in one
                          archive
  restore                 ARCHIVE [--force]: put a backup in place of this installation's data
  check --deploy          what is unsafe in the current configuration
"""
HELP_FLAGS = {"-h", "--help", "help"}
# Time a child gets to finish its work after the stop signal before it is killed.
STOP_GRACE_SECONDS = 30


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "destek.settings")


def _manage(argv: Sequence[str]) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["destek", *argv])
    return 0


# Commands that may run for hours over thousands of mails.
LONG_RUNNING = frozenset({"ingest", "fetchmail", "run_huey"})


def _manage_long_running(argv: Sequence[str]) -> int:
    """A long-running command, with start-up's objects frozen out of the cyclic collector
    first (``destek.lib.process``)."""
    _setup()
    import django

    from destek.lib.process import settle_after_startup

    django.setup()
    settle_after_startup()
    return _manage(argv)


def _bind() -> str:
    return env_str("DESTEK_BIND", "127.0.0.1:8000")


def _gunicorn_supports(setting: str) -> bool:
    from gunicorn.config import Config

    return setting in Config().settings


def _gunicorn_argv(extra: Sequence[str]) -> list[str]:
    # Newer gunicorns open a control socket in the home directory by default, shared by every
    # gunicorn of the user (a second instance takes it over); Destek does not use it.
    quiet = ["--no-control-socket"] if _gunicorn_supports("control_socket") else []
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "destek.wsgi:application",
        "--bind",
        _bind(),
        "--workers",
        str(env_int("DESTEK_WEB_WORKERS", 2)),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "20",
        *quiet,
        *extra,
    ]


def web(argv: Sequence[str]) -> int:
    """Gunicorn in place of this process, so a service manager's signals reach it directly.
    Extra arguments go to gunicorn (``destek web --timeout 60``)."""
    _setup()
    os.execv(sys.executable, _gunicorn_argv(argv))  # noqa: S606 (replace this process)
    return 0  # not reached


def worker(argv: Sequence[str]) -> int:
    """The Huey consumer: queued jobs and the periodic ones (auto-close, …)."""
    return _manage_long_running(["run_huey", *argv])


@dataclass(frozen=True)
class Child:
    """A process that ``destek run`` supervises, and the signal that stops it gracefully."""

    name: str
    argv: list[str]
    stop_signal: int


def supervise(children: Sequence[Child], grace: float = STOP_GRACE_SECONDS) -> int:
    """Start the children and wait; on SIGTERM/SIGINT, or when one child dies, stop the others
    with their graceful signal, then kill what is still running after ``grace`` seconds.
    Returns 0 after a requested stop, else the exit status of the child that died first."""
    stop_requested = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stop_requested
        stop_requested = True

    # Handlers first: a signal that arrives while the children start must not be lost.
    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    processes: list[tuple[Child, subprocess.Popen]] = []
    first_dead = None
    try:
        for child in children:
            processes.append((child, subprocess.Popen(child.argv)))
        while not stop_requested and all(p.poll() is None for _, p in processes):
            time.sleep(0.2)
        first_dead = next((p for _, p in processes if p.poll() is not None), None)
    finally:
        # Also when starting a child failed: never leave the others running.
        _stop(processes, grace)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if stop_requested or first_dead is None:
        return 0
    code = first_dead.returncode
    return 128 - code if code < 0 else code or 1


def _stop(processes: Sequence[tuple[Child, subprocess.Popen]], grace: float) -> None:
    for child, process in processes:
        if process.poll() is None:
            process.send_signal(child.stop_signal)
    deadline = time.monotonic() + grace
    for child, process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"destek: {child.name} did not stop in {grace:.0f} s; killing it", flush=True)
            process.kill()
            process.wait()


def run(argv: Sequence[str]) -> int:
    """Migrate, then run the worker, the web server, the mail fetcher and the SMTP receiver as
    child processes until Ctrl-C or SIGTERM. Extra arguments go to gunicorn."""
    if HELP_FLAGS & set(argv[:1]):
        print(f"usage: destek run [GUNICORN ARGS…]\n\n{' '.join(run.__doc__.split())}")
        return 0
    _manage(["migrate", "--no-input", "-v", "0"])
    from django.db import connections

    connections.close_all()  # the supervisor itself never touches the database again
    children = [
        # SIGINT lets Huey finish the jobs in hand; SIGTERM is gunicorn's graceful stop.
        Child("worker", [sys.executable, "-m", "destek", "worker"], signal.SIGINT),
        Child("web", _gunicorn_argv(argv), signal.SIGTERM),
        # IMAP IDLE brings new mail in within seconds (the worker's poll alone: a minute).
        Child("fetchmail", [sys.executable, "-m", "destek", "fetchmail"], signal.SIGTERM),
    ]
    listen = _smtpd_listen()
    if listen:
        # Mail sent to the demo mailbox (any mail client, or swaks) becomes a ticket at once.
        children.append(
            Child(
                "smtpd",
                [sys.executable, "-m", "destek", "smtpd", "--listen", listen],
                signal.SIGTERM,
            )
        )
    print(f"Destek: http://{_bind()}/  (Ctrl-C stops them all)", flush=True)
    if listen:
        print(f"Destek: mail to the mailboxes' addresses at smtp://{listen}", flush=True)
    return supervise(children)


def _smtpd_listen() -> str:
    # The same variable settings.SMTPD_LISTEN reads; empty switches the receiver off.
    return env_str("DESTEK_SMTPD_LISTEN", "127.0.0.1:2525").strip()


VERBS: dict[str, Callable[[Sequence[str]], int]] = {
    "run": run,
    "web": web,
    "worker": worker,
    "manage": _manage,
}


def command_names() -> list[str]:
    """Destek's own management commands, found on disk so that help needs no settings."""
    from django.core.management import find_commands

    package = Path(__file__).resolve().parent
    names = set()
    for management in package.glob("*/management"):
        names.update(find_commands(str(management)))
    return sorted(names)


def usage() -> str:
    listed = set(USAGE.split())
    more = [name for name in command_names() if name not in listed]
    text = USAGE
    if more:
        text += "\nMore commands:\n  " + ", ".join(more) + "\n"
    return text + "\n`destek VERB --help` shows a verb's options.\n"


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in HELP_FLAGS:
        print(usage())
        sys.exit(0)
    verb, rest = args[0], args[1:]
    handler = VERBS.get(verb)
    try:
        # Every other verb is a management command of the same name (migrate, demo, workspace, …).
        if handler is None:
            handler = _manage_long_running if verb in LONG_RUNNING else _manage
            rest = [verb, *rest]
        sys.exit(handler(rest))
    except ImproperlyConfigured as exc:
        print(f"destek: configuration error: {exc}", file=sys.stderr)
        sys.exit(2)
