"""The fetcher as an operator runs it, in subprocesses, and treated roughly.

Issue 3 Proof: ``destek fetchmail``, killed with SIGKILL at random moments and restarted each
time, stores every one of 500 messages exactly once. And the long-running ``destek fetchmail``
stops cleanly on SIGTERM.

Everything goes through the ``destek`` command — ``migrate``, ``createworkspace``,
``mailbox add``, ``fetchmail``, ``export`` — against a data directory of its own (and a
PostgreSQL database of its own when the suite runs on PostgreSQL).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from tests.mail.conftest import turkish_mail
from tests.mail.dovecot import Dovecot

pytestmark = pytest.mark.slow

MESSAGES = 500
MAX_KILLS = 8
SEEN = b"\\Seen"

COUNTS = """
import json, os
from destek.mail.models import InboundEmail
rows = InboundEmail.objects.filter(mailbox__address=os.environ["COUNT_MAILBOX"])
print(json.dumps({
    "inbound": rows.count(),
    "sha256": rows.values("sha256").distinct().count(),
    "uids": rows.values("uid").distinct().count(),
    "statuses": sorted(set(rows.values_list("status", flat=True))),
}))
"""


class Site:
    """The ``destek`` command with its own data directory and database."""

    def __init__(self, data_dir: Path, database_url: str, ca_file: Path) -> None:
        self.data_dir = data_dir
        self.database_url = database_url
        hidden = {"DATABASE_URL", "REDIS_URL", "DESTEK_DATA_DIR", "DESTEK_POLL_SECONDS"}
        self.env = {key: value for key, value in os.environ.items() if key not in hidden}
        self.env.update(
            DESTEK_DATA_DIR=str(data_dir),
            DESTEK_MAIL_CA_FILE=str(ca_file),
            DESTEK_LOG_LEVEL="WARNING",
        )
        if database_url:
            self.env["DATABASE_URL"] = database_url

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "destek", *args]

    def run(self, *args: str, **env: str) -> str:
        done = subprocess.run(
            self.argv(*args),
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"destek {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def start(self, *args: str, log: Path, **env: str) -> subprocess.Popen:
        with open(log, "a") as out:
            return subprocess.Popen(
                self.argv(*args), env={**self.env, **env}, stdout=out, stderr=out
            )

    def add_mailbox(self, dovecot: Dovecot, slug: str, *, import_days: int | None = None) -> str:
        login, password = dovecot.new_user()
        self.run(
            "mailbox",
            "add",
            f"--workspace={slug}",
            f"--address={login}",
            f"--imap-host={dovecot.host}",
            f"--imap-port={dovecot.imap_port}",
            "--imap-security=starttls",
            f"--imap-user={login}",
            "--imap-password-env=SITE_IMAP_PASSWORD",
            *([f"--import-days={import_days}"] if import_days else []),
            SITE_IMAP_PASSWORD=password,
        )
        return login

    def stored(self, address: str) -> int:
        """Messages stored for the mailbox so far, read straight from the database."""
        return self.scalar(
            "SELECT count(*) FROM mail_inboundemail i JOIN mail_mailbox m ON m.id = i.mailbox_id"
            " WHERE m.address = {}",
            address,
        )

    def mailbox_field(self, address: str, field: str) -> object:
        return self.scalar(f"SELECT {field} FROM mail_mailbox WHERE address = {{}}", address)

    def scalar(self, query: str, address: str) -> object:
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as conn:
                return conn.execute(query.format("%s"), [address]).fetchone()[0]
        path = self.data_dir / "destek.sqlite3"
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=20) as conn:
            return conn.execute(query.format("?"), [address]).fetchone()[0]


@pytest.fixture(scope="module")
def site_database():
    """ "" for SQLite (a file in the data directory); on PostgreSQL a fresh database of its own
    on the same server, dropped afterwards."""
    if not settings.DATABASE_URL:
        yield ""
        return
    import psycopg

    parts = urlsplit(settings.DATABASE_URL)
    name = f"destek_fetch_site_{os.getpid()}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def site(dovecot, tmp_path_factory, site_database) -> Site:
    site = Site(tmp_path_factory.mktemp("site"), site_database, dovecot.cert)
    site.run("migrate", "--no-input", "-v", "0")
    return site


def create_workspace(site: Site, slug: str) -> None:
    site.run(
        "createworkspace",
        f"--name=Test {slug}",
        f"--slug={slug}",
        "--prefix=CK",
        f"--owner-email=patron@{slug}.test",
    )


def test_a_fetcher_killed_at_random_moments_stores_every_message_once(site, dovecot):
    seed = random.randrange(1 << 30)
    print(f"random seed {seed}")
    rng = random.Random(seed)
    create_workspace(site, "cokme")
    # Half the mail is there before the first connection (a backlog import of the last day),
    # half arrives while the fetcher is being killed (new mail above the last UID).
    senders = [f"musteri{n}@musteri.test" for n in range(40)]
    mails = [turkish_mail(n, sender=senders[n % len(senders)]) for n in range(MESSAGES)]
    address = site.add_mailbox(dovecot, "cokme", import_days=1)
    password = dict(dovecot.users)[address]
    dovecot.append(address, password, mails[: MESSAGES // 2])
    log = site.data_dir / "crash.log"

    kills, runs, started = 0, 0, time.monotonic()
    while True:
        runs += 1
        process = site.start("fetchmail", "--once", log=log)
        if kills < MAX_KILLS:
            before = site.stored(address)
            if rng.random() < 0.25:
                time.sleep(rng.uniform(0.0, 1.0))  # now and then while it is starting up
            else:
                deadline = time.monotonic() + 60
                while site.stored(address) == before and process.poll() is None:
                    assert time.monotonic() < deadline, "the fetcher makes no progress"
                    time.sleep(0.02)
                # Somewhere in the middle of its work: mail is stored a FETCH batch at a
                # time and all of it within a few hundred milliseconds, so a longer wait often
                # found the fetcher already done and killed nothing.
                time.sleep(rng.uniform(0.0, 0.15))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
        code = process.wait(timeout=180)  # reaped: its lease is seen as free at once
        if runs == 1:
            dovecot.append(address, password, mails[MESSAGES // 2 :])
        if code == 0 and site.stored(address) >= MESSAGES:
            break
        assert code in (0, -signal.SIGKILL), log.read_text()[-3000:]
        assert runs < 40, "fetching never finished"
    print(f"{MESSAGES} messages, {kills} SIGKILLs, {runs} runs, {time.monotonic() - started:.1f} s")

    site.run("fetchmail", "--once")  # one more pass finds nothing new
    counts = json.loads(site.run("shell", "-c", COUNTS, COUNT_MAILBOX=address).splitlines()[-1])
    export = json.loads(site.run("export", "--workspace=cokme"))

    assert kills >= 3
    assert "Traceback" not in log.read_text()
    assert counts == {
        "inbound": MESSAGES,
        "sha256": MESSAGES,
        "uids": MESSAGES,
        "statuses": ["processed"],
    }
    tickets = export["tickets"]
    assert len(tickets) == MESSAGES
    assert sum(len(ticket["messages"]) for ticket in tickets) == MESSAGES
    subjects = sorted(ticket["subject"] for ticket in tickets)
    assert subjects == sorted(turkish_subject(n) for n in range(MESSAGES))
    # Every message is still on the server, and marked read.
    flags = dovecot.flags(address, password)
    assert len(flags) == MESSAGES
    assert all(SEEN in item for item in flags.values())


def turkish_subject(n: int) -> str:
    return f"Sipariş #{1000 + n} kargoya verilmedi — ödeme çekildi"


def test_the_fetch_loop_stops_cleanly_on_sigterm(site, dovecot):
    create_workspace(site, "durdur")
    address = site.add_mailbox(dovecot, "durdur")
    password = dict(dovecot.users)[address]
    log = site.data_dir / "loop.log"
    process = site.start("fetchmail", log=log, DESTEK_POLL_SECONDS="1")
    try:
        deadline = time.monotonic() + 60
        # The first pass records the folder's state; mail delivered after it is new mail.
        while site.mailbox_field(address, "uidvalidity") is None:
            assert time.monotonic() < deadline and process.poll() is None, log.read_text()
            time.sleep(0.05)
        for n in range(3):
            dovecot.deliver(address, turkish_mail(n))
        while site.stored(address) < 3:
            assert time.monotonic() < deadline and process.poll() is None, log.read_text()
            time.sleep(0.05)

        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    output = log.read_text()
    assert code == 0, output
    assert output.rstrip().endswith("Destek mail fetcher stopped.")
    assert "Traceback" not in output
    assert site.stored(address) == 3
    flags = dovecot.flags(address, password)
    assert sorted(flags) == [1, 2, 3]
    assert all(SEEN in item for item in flags.values())
    # The lease went back with the stop: another worker may start at once.
    assert site.mailbox_field(address, "lease_owner") == ""
