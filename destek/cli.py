"""The ``destek`` command (DESIGN §10): a thin front over Django management commands plus the
process verbs (run, web, worker) that an operator starts."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence

USAGE = """usage: destek VERB [ARGS…]

  run                 migrate, then serve web + worker together (embedded default)
  web                 the web server alone (gunicorn; DESTEK_BIND, DESTEK_WEB_WORKERS)
  worker              the background job worker alone (Huey consumer)
  migrate             apply database migrations
  createsuperuser     create a site superuser
  createworkspace     --name N --slug S --prefix DST --owner-email E [--admin-email E]
  demo                a demo workspace with realistic Turkish sample data
  workspace activate SLUG
  manage COMMAND …    any Django management command
"""


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "destek.settings")


def _manage(argv: Sequence[str]) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["destek", *argv])
    return 0


def _bind() -> str:
    return os.environ.get("DESTEK_BIND", "127.0.0.1:8000")


def _gunicorn_argv(extra: Sequence[str]) -> list[str]:
    workers = os.environ.get("DESTEK_WEB_WORKERS", "2")
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "destek.wsgi:application",
        "--bind",
        _bind(),
        "--workers",
        workers,
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "20",
        *extra,
    ]


def web(argv: Sequence[str]) -> int:
    _setup()
    os.execv(sys.executable, _gunicorn_argv(argv))  # noqa: S606 (replace this process)
    return 0  # not reached


def worker(argv: Sequence[str]) -> int:
    return _manage(["run_huey", *argv])


def run(argv: Sequence[str]) -> int:
    """Migrate, then run the web server and the worker as two child processes; stop both on
    Ctrl-C or SIGTERM, and stop the other when one dies."""
    _manage(["migrate", "--no-input", "-v", "0"])
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="destek.settings")
    children = [
        subprocess.Popen([sys.executable, "-m", "destek", "worker"], env=env),
        subprocess.Popen(_gunicorn_argv(argv), env=env),
    ]
    print(f"Destek: http://{_bind()}/  (Ctrl-C stops web and worker)", flush=True)

    def stop(*_args: object) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with contextlib.suppress(ChildProcessError):
        os.wait()  # returns when the first child ends
    stop()
    codes = [child.wait() for child in children]
    return max((abs(code) for code in codes), default=0) if any(codes) else 0


VERBS: dict[str, Callable[[Sequence[str]], int]] = {
    "run": run,
    "web": web,
    "worker": worker,
    "manage": _manage,
}


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        sys.exit(0)
    verb, rest = args[0], args[1:]
    handler = VERBS.get(verb)
    # Every other verb is a management command of the same name (migrate, demo, workspace, …).
    sys.exit(handler(rest) if handler else _manage([verb, *rest]))
