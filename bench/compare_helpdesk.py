"""Mail ingestion, Destek against django-helpdesk on the same messages (DESIGN §9: ≥ 10×).

Generates ``-n`` Turkish support mails with ``bench/ingest.py``'s ``generate()`` and runs the same
bytes through both systems' parse + thread + store:

- **Destek** in this process, in a throw-away test database, exactly as ``bench/ingest.py`` does
  (``ingest.receive_many`` + ``ingest.process_many`` in batches of ``--batch``, default 200 as
  ``destek ingest`` with many files and the IMAP poller's FETCH; ``--batch 1`` one at a time).
  ``--no-destek`` skips it.
- **django-helpdesk** (pinned below) in its own virtualenv under the system temp directory,
  created and filled with pip on first use and reused afterwards — it is no dependency of
  Destek. A subprocess with that venv's Python runs this same file as a worker: it writes a
  throw-away settings module (SQLite in a temp dir with the same pragmas Destek uses, locmem
  e-mail backend, teams off), migrates, creates one queue with the mailbox's address and then
  feeds each message, one at a time and in autocommit as its ``get_email`` command does, to
  ``helpdesk.email.extract_email_metadata(message, queue, logger)`` — the function its IMAP and
  local-directory loops call per message (parse, ignore rules, thread by ``[slug-ID]`` in the
  subject or by In-Reply-To against stored follow-ups, create ticket or follow-up, attachments,
  acknowledgement mail rendered from its templates and "sent" to locmem). Only that call is
  timed; the bytes are decoded with ``force_str(errors="replace")`` inside the timing, as its
  IMAP loop does.

``--rounds R`` runs that whole comparison R times, each in a fresh process with fresh databases
(both systems start cold in every round, as in a single run), and compares the median rates:
Destek's 2,000 mails take about 2 s, so a single run's ratio moves with the machine's speed of
that moment.

django-helpdesk cannot thread our acknowledgement's signed Message-ID nor the ``[DST-n]`` code
in the subject (it knows only its own ``[queue-slug-ID]``), so those replies become new tickets
there; replies by In-Reply-To to the customer's previous mail are threaded by both.

    python bench/compare_helpdesk.py [-n 2000] [--batch 100] [--no-destek] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

HELPDESK_VERSION = "2.6.1"
VENV = Path(tempfile.gettempdir()) / "destek-compare-venv"
QUEUE_SLUG = "destek"

SETTINGS = """\
SECRET_KEY = "compare-helpdesk-throwaway"
DEBUG = False
USE_TZ = True
TIME_ZONE = "Europe/Istanbul"
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
]
SITE_ID = 1
ROOT_URLCONF = "compare_urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": []},
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATABASE,
        "OPTIONS": {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-8192;"
            ),
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@example.test"
HELPDESK_TEAMS_MODE_ENABLED = False
"""

URLS = """\
from django.urls import include, path

urlpatterns = [path("helpdesk/", include("helpdesk.urls", namespace="helpdesk"))]
"""


def ensure_venv() -> Path:
    """The Python of the comparison venv, with django-helpdesk ``HELPDESK_VERSION`` installed."""
    python = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        print(f"creating {VENV} …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    probe = "import importlib.metadata as m; print(m.version('django-helpdesk'))"
    found = subprocess.run([python, "-c", probe], capture_output=True, text=True).stdout.strip()
    if found != HELPDESK_VERSION:
        print(f"installing django-helpdesk=={HELPDESK_VERSION} into {VENV} …", flush=True)
        subprocess.run(
            [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             f"django-helpdesk=={HELPDESK_VERSION}"],
            check=True,
        )  # fmt: skip
    return python


# --- the worker: runs under the comparison venv, imports django-helpdesk, never Destek ----------


def helpdesk_worker(work: Path, address: str) -> dict:
    """Migrate a fresh database, then time ``extract_email_metadata`` on every ``.eml`` in
    ``work/mail``, one at a time in name order. Returns the counts and the elapsed time."""
    queue = _helpdesk_setup(work, address)
    raws = [path.read_bytes() for path in sorted((work / "mail").glob("*.eml"))]
    return _helpdesk_counts(_helpdesk_feed(queue, raws))


def _helpdesk_setup(work: Path, address: str):
    (work / "compare_settings.py").write_text(
        f"DATABASE = {str(work / 'helpdesk.sqlite3')!r}\n"
        f"MEDIA_ROOT = {str(work / 'media')!r}\n" + SETTINGS
    )
    (work / "compare_urls.py").write_text(URLS)
    sys.path[0] = str(work)  # instead of bench/, whose modules are not for this venv
    os.environ["DJANGO_SETTINGS_MODULE"] = "compare_settings"
    import django

    django.setup()
    from django.core.management import call_command
    from helpdesk.models import Queue

    call_command("migrate", verbosity=0)
    return Queue.objects.create(
        title="Anadolu Kahve Destek",
        slug=QUEUE_SLUG,
        email_address=address,
        allow_email_submission=True,
        email_box_type="local",
        email_box_local_dir=str(work / "mail"),
    )


def _helpdesk_feed(queue, raws: list[bytes]) -> dict:
    import logging

    from django.utils import encoding
    from helpdesk.email import extract_email_metadata
    from helpdesk.exceptions import DeleteIgnoredTicketException, IgnoreTicketException

    # What get_email does with a queue whose logging_type is "none": a logger that goes nowhere.
    logger = logging.getLogger(f"django.helpdesk.queue.{queue.slug}")
    logger.handlers, logger.propagate = [], False
    logging.disable(logging.INFO)
    result = {"messages": len(raws), "ignored": 0, "not_processed": 0, "errors": []}
    started = time.perf_counter()
    laps = [started]  # a rate that falls shows a cost growing with the database
    for number, raw in enumerate(raws):
        if number and number % 1000 == 0:
            laps.append(time.perf_counter())
        try:
            message = encoding.force_str(raw, errors="replace")
            if extract_email_metadata(message=message, queue=queue, logger=logger) is None:
                result["not_processed"] += 1
        except (IgnoreTicketException, DeleteIgnoredTicketException):
            result["ignored"] += 1
        except Exception as error:  # noqa: BLE001 - counted and reported, as a finding
            result["errors"].append(f"{type(error).__name__}: {error}")
    result["elapsed"] = time.perf_counter() - started
    laps.append(started + result["elapsed"])
    result["laps"] = [
        min(1000, len(raws) - 1000 * n) / (b - a) for n, (a, b) in enumerate(pairwise(laps))
    ]
    return result


def _helpdesk_counts(result: dict) -> dict:
    import django
    from django.core import mail
    from helpdesk.models import FollowUp, FollowUpAttachment, Ticket

    errors = result.pop("errors")
    comments = FollowUp.objects.values_list("comment", flat=True)
    return {
        **result,
        "version": django.get_version(),
        "tickets": Ticket.objects.count(),
        "followups": FollowUp.objects.count(),
        "attachments": FollowUpAttachment.objects.count(),
        "sent": len(getattr(mail, "outbox", [])),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        # UTF-8 read as Latin-1 ("Ä±" for "ı"): text not stored as the customer wrote it.
        "mangled": sum(1 for text in comments if any(c in text for c in "ÃÄÅ")),
    }


def run_helpdesk(python: Path, work: Path, address: str) -> dict:
    """Run :func:`helpdesk_worker` under ``python`` and return what it reported."""
    done = subprocess.run(
        [python, __file__, "--helpdesk-worker", str(work), "--address", address],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": ""},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- Destek, in this process ------------------------------------------------------------------


def measure_destek(mailbox, mails: list[bytes], batch: int) -> dict:
    """Time Destek's ingestion of ``mails`` into ``mailbox`` as ``bench/ingest.py`` does."""
    from collections import Counter

    from destek.lib.process import settle_after_startup
    from destek.mail import ingest
    from destek.mail.models import InboundEmail
    from destek.tickets.models import Message, Ticket

    settle_after_startup()  # as the `destek ingest` and `fetchmail` processes do
    started = time.perf_counter()
    for index in range(0, len(mails), batch):
        chunk = mails[index : index + batch]
        if batch == 1:
            ingest.receive_and_process(mailbox, chunk[0], source="pipe")
        else:
            ingest.process_many(ingest.receive_many(mailbox, chunk, source="pipe"))
    elapsed = time.perf_counter() - started
    return {
        "elapsed": elapsed,
        "tickets": Ticket.objects.count(),
        "messages_stored": Message.objects.count(),
        "outcomes": dict(Counter(InboundEmail.objects.values_list("status", flat=True))),
    }


def _rate(result: dict, count: int) -> str:
    return (
        f"{count / result['elapsed']:,.1f} msg/s "
        f"({result['elapsed'] / count * 1000:.2f} ms per message, {result['elapsed']:.1f} s)"
    )


def _report_helpdesk(result: dict, mails: list[bytes]) -> None:
    count = result["messages"]
    new = sum(1 for raw in mails if b"Message-ID: <yeni." in raw)
    print(f"django-helpdesk {HELPDESK_VERSION} (Django {result['version']}, SQLite, one at a time)")
    print(f"  parse + thread + store: {_rate(result, count)}")
    print(f"  per 1,000 messages: {', '.join(f'{rate:,.1f}' for rate in result['laps'])} msg/s")
    print(f"  tickets created: {result['tickets']} (new requests in the set: {new}); followups "
          f"created: {result['followups']} ({result['followups'] - result['tickets']} replies "
          "threaded into an existing ticket)")  # fmt: skip
    print(f"  attachments stored: {result['attachments']}; notification mails sent (locmem): "
          f"{result['sent']}; ignored: {result['ignored']}; returned no ticket: "
          f"{result['not_processed']}")  # fmt: skip
    print(f"  followups whose text has UTF-8 read as Latin-1: {result['mangled']}")
    first = f" (first: {result['first_error']})" if result["errors"] else ""
    print(f"  messages that raised an error: {result['errors']}{first}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--messages", type=int, default=2000)
    parser.add_argument(
        "--batch", type=int, default=200, help="Destek's mails per transaction (1: one at a time)"
    )
    parser.add_argument(
        "--destek",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure Destek on the same messages (default: yes)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the whole comparison this many times, each in a fresh process with fresh "
        "databases, and compare the two systems' median rates",
    )
    parser.add_argument("--times-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--helpdesk-worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--address", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.helpdesk_worker:
        print(json.dumps(helpdesk_worker(args.helpdesk_worker, args.address)))
        return 0

    python = ensure_venv()
    if args.rounds > 1:
        return rounds(args)
    work = Path(tempfile.mkdtemp(prefix="destek-compare-"))
    try:
        return compare(args, python, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def compare(args: argparse.Namespace, python: Path, work: Path) -> int:
    """Generate the mails into ``work/mail``, measure Destek on them (unless ``--no-destek``),
    then django-helpdesk, and print both rates and their ratio."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import ingest as bench_ingest  # bench/ingest.py, which also puts the repository on sys.path

    os.environ["DESTEK_DATA_DIR"] = str(work / "destek")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "destek.settings")
    import logging

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from destek.accounts.services import create_workspace
    from destek.mail.models import Mailbox

    logging.disable(logging.INFO)
    settings.MEDIA_ROOT = work / "destek" / "files"
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        workspace = create_workspace(
            name="Anadolu Kahve", slug="anadolu", prefix="DST", owner_email="patron@anadolu.test"
        )
        mailbox = Mailbox.objects.select_related("workspace").get(
            pk=Mailbox.objects.create(workspace=workspace, address=bench_ingest.ADDRESS).pk
        )
        mails = bench_ingest.generate(args.messages, workspace.pk)
        (work / "mail").mkdir()
        for number, raw in enumerate(mails, 1):
            (work / "mail" / f"{number:06d}.eml").write_bytes(raw)
        size = sum(len(raw) for raw in mails) / len(mails)
        print(f"{len(mails)} messages, {size / 1000:.1f} kB average")
        if args.destek:
            destek = measure_destek(mailbox, mails, args.batch)
            print(f"Destek (SQLite, batches of {args.batch})")
            print(f"  parse + thread + store: {_rate(destek, len(mails))}")
            print(f"  tickets: {destek['tickets']}; messages stored: "
                  f"{destek['messages_stored']}; outcomes: {destek['outcomes']}")  # fmt: skip
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)

    helpdesk = run_helpdesk(python, work, bench_ingest.ADDRESS)
    _report_helpdesk(helpdesk, mails)
    if args.destek:
        ratio = helpdesk["elapsed"] / destek["elapsed"]
        print(f"Destek / django-helpdesk: {ratio:.1f}× (DESIGN §9 asks for ≥ 10×)")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    if args.times_out:
        times = {
            "helpdesk": helpdesk["elapsed"],
            "destek": destek["elapsed"] if args.destek else None,
        }
        args.times_out.write_text(json.dumps(times))
    return 0


def rounds(args: argparse.Namespace) -> int:
    """The comparison ``--rounds`` times, each a fresh process (both systems start cold, as in
    a single run), and the ratio of the median rates: the machine's speed of the moment, which
    moves one 2-second Destek run by 15 %, weighs less."""
    destek, helpdesk = [], []
    with tempfile.TemporaryDirectory(prefix="destek-compare-times-") as folder:
        for number in range(1, args.rounds + 1):
            print(f"--- round {number} of {args.rounds}", flush=True)
            out = Path(folder) / f"{number}.json"
            command = [sys.executable, __file__, "-n", str(args.messages), "--batch",
                       str(args.batch), "--times-out", str(out)]  # fmt: skip
            if not args.destek:
                command.append("--no-destek")
            subprocess.run(command, check=True)
            times = json.loads(out.read_text())
            helpdesk.append(args.messages / times["helpdesk"])
            if args.destek:
                destek.append(args.messages / times["destek"])
    print(f"--- {args.rounds} rounds")
    print("django-helpdesk: " + ", ".join(f"{rate:,.1f}" for rate in helpdesk)
          + f" msg/s, median {statistics.median(helpdesk):,.1f}")  # fmt: skip
    if args.destek:
        print("Destek: " + ", ".join(f"{rate:,.1f}" for rate in destek)
              + f" msg/s, median {statistics.median(destek):,.1f}")  # fmt: skip
        ratio = statistics.median(destek) / statistics.median(helpdesk)
        print(f"Destek / django-helpdesk, medians: {ratio:.1f}× (DESIGN §9 asks for ≥ 10×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
