"""The IMAP server restarted in the middle of a fetch: the pass fails and says so, and the next
pass brings in the rest; every message is stored exactly once (a private Dovecot, really
stopped and started again)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from destek.mail import poller
from destek.mail.fetch import BATCH_MESSAGES
from destek.mail.models import InboundEmail, InboundStatus
from tests.conftest import require_service
from tests.mail.conftest import make_mailbox, turkish_mail
from tests.mail.dovecot import (
    DOVECOT,
    Dovecot,
    _greets,
    _run_as,
    dovecot_installed,
    start_dovecot,
    stop_dovecot,
)

pytestmark = pytest.mark.django_db(transaction=True)
MESSAGES = 2 * BATCH_MESSAGES + BATCH_MESSAGES // 2  # three fetch batches
STOP_AFTER = 1  # batches: the server goes down while the second is due


@pytest.fixture
def own_dovecot(settings):
    require_service(dovecot_installed(), "dovecot missing: apt-get install dovecot-imapd")
    server = start_dovecot()
    settings.MAIL_CA_FILE = str(server.cert)
    yield server
    stop_dovecot(server)


def _stop(server: Dovecot) -> None:
    """Down hard: the processes serving open connections first (children of this instance's
    master only), then the master."""
    found = subprocess.run(
        ["pgrep", "-P", str(server.proc.pid)], capture_output=True, text=True, check=False
    )
    children = [int(pid) for pid in found.stdout.split()]
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    server.proc.kill()
    server.proc.wait(timeout=10)
    # A child still dying keeps its socket (anvil's, say) answering, and the new master then
    # refuses to start ("Socket already exists"): wait until every one of them is gone.
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in children):
        assert time.monotonic() < deadline, "dovecot's processes did not die"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    """Running, not gone and not a zombie (a zombie has closed its sockets)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def _start(server: Dovecot) -> None:
    # Dovecot refuses to start while a socket of the killed instance still answers (an orphan
    # not yet reaped): try again a few times, then clear the old sockets away.
    for attempt in range(20):
        if attempt == 10:
            for socket_file in (server.dir / "run").iterdir():
                if socket_file.is_socket():
                    socket_file.unlink()
        if _try_start(server):
            return
        time.sleep(0.5)
    raise AssertionError((server.dir / "stdout.log").read_text(errors="replace"))


def _try_start(server: Dovecot) -> bool:
    user, group = _run_as()
    as_user = {"user": user, "group": group, "extra_groups": []} if os.geteuid() == 0 else {}
    with open(server.dir / "stdout.log", "ab") as out:
        server.proc = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(server.conf)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            **as_user,
        )
    deadline = time.monotonic() + 60  # a busy CI machine may take a while
    while not _greets(server.imap_port):
        if server.proc.poll() is not None:
            return False
        assert time.monotonic() < deadline, "dovecot did not come back"
        time.sleep(0.05)
    return True


def test_a_server_restart_mid_fetch_loses_and_duplicates_nothing(workspace, own_dovecot):
    login, password = own_dovecot.new_user()
    mailbox = make_mailbox(workspace, own_dovecot, login, password)
    assert not poller.fetch_mailbox(mailbox.pk).error  # first connection: the folder is empty
    own_dovecot.append(login, password, [turkish_mail(n) for n in range(MESSAGES)])
    taken = 0

    def restart_midway() -> bool:
        nonlocal taken
        taken += 1
        if taken == STOP_AFTER:
            _stop(own_dovecot)
        return False

    first = poller.fetch_mailbox(mailbox.pk, should_stop=restart_midway)

    assert first.error  # the pass says it failed ...
    stored = InboundEmail.objects.filter(mailbox=mailbox).count()
    assert STOP_AFTER * BATCH_MESSAGES <= stored < MESSAGES  # ... after storing part of the mail
    _start(own_dovecot)

    second = poller.fetch_mailbox(mailbox.pk)

    assert not second.error, second.error
    rows = InboundEmail.objects.filter(mailbox=mailbox)
    assert rows.count() == MESSAGES
    assert sorted(rows.values_list("uid", flat=True)) == list(range(1, MESSAGES + 1))
    assert set(rows.values_list("status", flat=True)) == {InboundStatus.PROCESSED}
