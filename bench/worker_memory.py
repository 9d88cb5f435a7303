"""Worker memory while a 10,000-message backlog is fetched over IMAP (DESIGN §9: ≤ 200 MB RSS).

Everything runs as an operator would run it: a private Dovecot (tests/mail/dovecot.py), a fresh
data directory (and a throw-away PostgreSQL database when ``DATABASE_URL`` is set), and the
``destek`` command in subprocesses — ``migrate``, ``createworkspace``, ``mailbox add`` with
``--import-days 1`` (the first connection imports the folder's recent mail as a backlog instead
of waiting for new mail), then ``fetchmail --once --mailbox ID``. The backlog is ``-n`` realistic
Turkish support mails from ``bench/ingest.py``'s ``generate()`` (new requests, replies threaded
three ways, HTML parts, attachments), APPENDed to the user's INBOX beforehand.

While the fetcher runs, the RSS of its process tree (``VmRSS`` in /proc, the sum and the largest
process) is sampled every 0.25 s; its peak is also read from the kernel (``VmHWM`` of the last
sample, and ``ru_maxrss`` once the process is reaped). The RSS at 10 %, 50 % and 90 % of the
backlog (from the fetcher's "imported N/M" progress lines) shows whether memory grows with it.

    .venv/bin/python bench/worker_memory.py [-n 10000] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/worker_memory.py

With ``DATABASE_URL`` the database named there is only used to create and drop
``destek_worker_memory_<pid>`` on the same server.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

if TYPE_CHECKING:
    from tests.mail.dovecot import Dovecot

TARGET_MB = 200
SAMPLE_SECONDS = 0.25
APPEND_BATCH = 200
SLUG = "anadolu"
PASSWORD_VAR = "BENCH_IMAP_PASSWORD"
PROGRESS = re.compile(r": imported (\d+)/(\d+)$")
COUNTS = """
import json
from django.db.models import Count
from destek.mail.models import InboundEmail
from destek.tickets.models import Message, Ticket
statuses = InboundEmail.objects.values("status").annotate(n=Count("pk")).order_by("status")
print(json.dumps({
    "inbound": {row["status"]: row["n"] for row in statuses},
    "tickets": Ticket.objects.count(),
    "messages": Message.objects.count(),
}))
"""
WORKSPACE_ID = (
    f"from destek.accounts.models import Workspace; print(Workspace.objects.get(slug={SLUG!r}).pk)"
)


class Site:
    """The ``destek`` command with a data directory (and database) of its own."""

    def __init__(self, data_dir: Path, database_url: str, ca_file: Path) -> None:
        self.data_dir = data_dir
        hidden = {"DATABASE_URL", "REDIS_URL", "DESTEK_DATA_DIR", "DESTEK_DEBUG"}
        self.env = {key: value for key, value in os.environ.items() if key not in hidden}
        self.env.update(DESTEK_DATA_DIR=str(data_dir), DESTEK_MAIL_CA_FILE=str(ca_file))
        if database_url:
            self.env["DATABASE_URL"] = database_url
        launcher = Path(sys.executable).with_name("destek")
        self.command = [str(launcher)] if launcher.exists() else [sys.executable, "-m", "destek"]

    def run(self, *args: str, **env: str) -> str:
        """Run ``destek ARGS`` to the end; its stdout (raises with its output on failure)."""
        done = subprocess.run(
            [*self.command, *args],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"destek {' '.join(args)}:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self, *args: str, stderr: IO[bytes], **env: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [*self.command, *args],
            env={**self.env, **env},
            stdout=subprocess.PIPE,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
        )


@dataclass
class Run:
    """What was seen of one ``destek fetchmail`` process."""

    started: float
    samples: list[tuple[float, int, int, int]] = field(default_factory=list)
    """``(seconds, summed VmRSS kB, largest VmRSS kB, processes)`` of the process tree."""
    progress: list[tuple[float, int, int]] = field(default_factory=list)
    """``(seconds, done, total)`` from the fetcher's progress lines."""
    output: list[str] = field(default_factory=list)
    hwm_kb: int = 0  # the largest VmHWM (the kernel's own peak) read from /proc
    maxrss_kb: int = 0  # ru_maxrss of the reaped process (wait4)
    children_maxrss_kb: tuple[int, int] = (0, 0)  # RUSAGE_CHILDREN before and after
    elapsed: float = 0.0
    returncode: int = 0
    largest_tree: int = 1


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in kB ({} once it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return {}
    values = {}
    for line in lines:
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, value = line.split(":", 1)
            values[key] = int(value.split()[0])
    return values


def _parents() -> dict[int, int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        # "pid (comm) state ppid …": comm may contain spaces and parentheses.
        parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    tree, index = [pid], 0
    while index < len(tree):
        tree.extend(children.get(tree[index], []))
        index += 1
    return tree


def measure_fetch(site: Site, mailbox_id: int, log: Path) -> Run:
    """Run ``destek fetchmail --once --mailbox ID`` and sample its process tree's RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(log, "ab") as errors:
        process = site.start(
            "fetchmail",
            "--once",
            f"--mailbox={mailbox_id}",
            stderr=errors,
            PYTHONUNBUFFERED="1",  # progress lines as they happen, not when a buffer fills
        )
    run = Run(started=time.monotonic())
    reader = threading.Thread(target=_read_output, args=(process, run), daemon=True)
    reader.start()
    try:
        while True:
            # wait4 rather than Popen.wait: it gives this child's own peak RSS.
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            _sample(process.pid, run)
            time.sleep(SAMPLE_SECONDS)
    except BaseException:  # Ctrl-C, or a failure of our own: never leave the fetcher running
        process.kill()
        process.wait()
        raise
    run.elapsed = time.monotonic() - run.started
    process.returncode = run.returncode = os.waitstatus_to_exitcode(status)
    run.maxrss_kb = usage.ru_maxrss
    run.children_maxrss_kb = (before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    reader.join(timeout=10)
    return run


def _sample(pid: int, run: Run) -> None:
    tree = process_tree(pid)
    statuses = [status for status in map(_status, tree) if status]
    if not statuses:
        return
    rss = [status.get("VmRSS", 0) for status in statuses]
    run.hwm_kb = max(run.hwm_kb, *(status.get("VmHWM", 0) for status in statuses))
    run.largest_tree = max(run.largest_tree, len(statuses))
    run.samples.append((time.monotonic() - run.started, sum(rss), max(rss), len(statuses)))


def _read_output(process: subprocess.Popen[bytes], run: Run) -> None:
    assert process.stdout is not None
    for raw in process.stdout:
        line = raw.decode(errors="replace").rstrip()
        run.output.append(line)
        match = PROGRESS.search(line)
        if match:
            done, total = int(match.group(1)), int(match.group(2))
            run.progress.append((time.monotonic() - run.started, done, total))


def rss_at(run: Run, seconds: float) -> int:
    """Summed RSS (kB) of the sample nearest to ``seconds`` into the run."""
    return min(run.samples, key=lambda sample: abs(sample[0] - seconds))[1]


def when_done(run: Run, fraction: float) -> float:
    """Seconds into the run when ``fraction`` of the backlog was imported (by the progress
    lines; by time when there were none)."""
    for seconds, done, total in run.progress:
        if total and done >= fraction * total:
            return seconds
    return fraction * run.elapsed


def throwaway_database(database_url: str) -> tuple[str, str]:
    """``(url of a new empty database on the same server, admin url)``."""
    import psycopg

    parts = urlsplit(database_url)
    name = f"destek_worker_memory_{os.getpid()}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), admin_url


def drop_database(url: str, admin_url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def append(dovecot: Dovecot, login: str, password: str, mails: list[bytes]) -> None:
    """APPEND the mails to INBOX over one connection, many per command (MULTIAPPEND: about
    five times faster than the helper's one APPEND per round trip)."""
    with dovecot.client(login, password) as client:
        for start in range(0, len(mails), APPEND_BATCH):
            client.multiappend("INBOX", mails[start : start + APPEND_BATCH])


def make_mails(site: Site, count: int, workspace_id: int) -> list[bytes]:
    """``generate()`` of bench/ingest.py, signed with the new site's secret key."""
    os.environ.update(
        DESTEK_DATA_DIR=site.env["DESTEK_DATA_DIR"], DJANGO_SETTINGS_MODULE="destek.settings"
    )
    if "DATABASE_URL" in site.env:
        os.environ["DATABASE_URL"] = site.env["DATABASE_URL"]
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from bench.ingest import generate

    return generate(count, workspace_id)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--messages", type=int, default=10_000)
    parser.add_argument(
        "--keep", action="store_true", help="keep the data directory (its path is printed)"
    )
    args = parser.parse_args()
    if args.messages < 1:
        parser.error("-n must be 1 or more")

    from tests.mail.dovecot import dovecot_installed, start_dovecot, stop_dovecot

    # A stop request unwinds like Ctrl-C: the fetcher and Dovecot are stopped, the data removed.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    if not dovecot_installed():
        print("Dovecot is not installed (make system-deps)", file=sys.stderr)
        return 2
    data_dir = Path(tempfile.mkdtemp(prefix="destek-worker-memory-", dir=tempfile.gettempdir()))
    database_url = admin_url = ""
    dovecot = None
    try:
        if os.environ.get("DATABASE_URL"):
            database_url, admin_url = throwaway_database(os.environ["DATABASE_URL"])
        dovecot = start_dovecot()
        site = Site(data_dir, database_url, dovecot.cert)
        return bench(site, dovecot, args.messages)
    finally:
        if dovecot is not None:
            problems = stop_dovecot(dovecot)
            for line in problems:
                print(f"dovecot: {line}", file=sys.stderr)
        if database_url:
            drop_database(database_url, admin_url)
        if args.keep:
            print(f"data directory kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def bench(site: Site, dovecot: Dovecot, count: int) -> int:
    """Set up the site and the backlog, fetch it, print what was measured."""
    mailbox_id = prepare(site, dovecot, count)
    run = measure_fetch(site, mailbox_id, site.data_dir / "fetchmail.log")
    if run.returncode != 0:
        tail = (site.data_dir / "fetchmail.log").read_text(errors="replace")[-3000:]
        print("\n".join(run.output[-20:]), tail, sep="\n", file=sys.stderr)
        print(f"destek fetchmail exited with {run.returncode}", file=sys.stderr)
        return 1
    counts = json.loads(site.run("shell", "-c", COUNTS).splitlines()[-1])
    report(run, counts, count)
    return 0 if max(run.maxrss_kb, run.hwm_kb) <= TARGET_MB * 1024 else 1


def prepare(site: Site, dovecot: Dovecot, count: int) -> int:
    """Migrate, create the workspace and its IMAP mailbox, fill the INBOX with ``count``
    mails; returns the mailbox's id."""
    site.run("migrate", "--no-input", "-v", "0")
    site.run(
        "createworkspace",
        "--name=Anadolu Kahve",
        f"--slug={SLUG}",
        "--prefix=DST",  # bench/ingest.py's replies quote [DST-n]
        f"--owner-email=patron@{SLUG}.test",
    )
    workspace_id = int(site.run("shell", "-c", WORKSPACE_ID).split()[-1])
    login, password = dovecot.new_user()
    added = site.run(
        "mailbox",
        "add",
        f"--workspace={SLUG}",
        f"--address={login}",
        f"--imap-host={dovecot.host}",
        f"--imap-port={dovecot.imap_port}",
        "--imap-security=starttls",
        f"--imap-user={login}",
        f"--imap-password-env={PASSWORD_VAR}",
        "--import-days=1",  # the backlog, not only mail arriving from now on
        **{PASSWORD_VAR: password},
    )
    mailbox_id = int(re.search(r"#(\d+)", added).group(1))

    started = time.perf_counter()
    mails = make_mails(site, count, workspace_id)
    size = sum(map(len, mails))
    generated = time.perf_counter() - started
    started = time.perf_counter()
    append(dovecot, login, password, mails)
    appended = time.perf_counter() - started
    del mails
    database = "PostgreSQL" if "DATABASE_URL" in site.env else "SQLite"
    print(
        f"{database}: {count:,} messages in INBOX ({size / count / 1000:.1f} kB average, "
        f"{size / 1e6:.0f} MB), generated in {generated:.0f} s, appended in {appended:.0f} s",
        flush=True,
    )
    return mailbox_id


def report(run: Run, counts: dict[str, object], count: int) -> None:
    inbound = counts["inbound"]
    assert isinstance(inbound, dict)
    fetched = sum(inbound.values())
    peak_sample = max(sample[1] for sample in run.samples) if run.samples else 0
    peak = max(run.maxrss_kb, run.hwm_kb, peak_sample)
    mb = 1024
    print(
        f"fetched {fetched:,} of {count:,} messages ({', '.join(f'{k} {v:,}' for k, v in inbound.items())}); "  # noqa: E501
        f"{counts['tickets']:,} tickets, {counts['messages']:,} ticket messages"
    )
    print(f"  {run.elapsed:.0f} s, {fetched / run.elapsed:,.1f} msg/s (startup included)")
    print(
        f"  process tree: at most {run.largest_tree} process(es); "
        f"{len(run.samples)} samples every {SAMPLE_SECONDS} s"
    )
    if run.samples:
        if run.progress:
            seconds, done, total = run.progress[0]
            print(f"  RSS at the first progress line ({done:,}/{total:,}): "
                  f"{rss_at(run, seconds) / mb:.0f} MB")  # fmt: skip
        points = [
            f"{round(fraction * 100)} % {rss_at(run, when_done(run, fraction)) / mb:.0f} MB"
            for fraction in (0.1, 0.5, 0.9)
        ]
        print(f"  RSS of the backlog done: {', '.join(points)}")
        every = [f"{rss_at(run, when_done(run, tenth / 10)) / mb:.0f}" for tenth in range(1, 11)]
        print(f"  RSS every 10 % (MB): {' '.join(every)}")
    before, after = run.children_maxrss_kb
    print(
        f"  peak RSS: {peak / mb:.1f} MB (sampled {peak_sample / mb:.1f}, VmHWM "
        f"{run.hwm_kb / mb:.1f}, wait4 ru_maxrss {run.maxrss_kb / mb:.1f}; RUSAGE_CHILDREN "
        f"ru_maxrss {before / mb:.1f} before, {after / mb:.1f} after)"
    )
    verdict = "met" if peak <= TARGET_MB * mb else "NOT met"
    print(f"  DESIGN §9 target ≤ {TARGET_MB} MB RSS: {verdict}")


if __name__ == "__main__":
    sys.exit(main())
