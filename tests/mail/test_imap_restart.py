"""The IMAP server restarted in the middle of a fetch: the pass fails and says so, and the next
pass brings in the rest; every message is stored exactly once (a private Dovecot, really
stopped and started again)."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from destek.mail import poller
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
MESSAGES = 120  # three fetch batches of 50
STOP_AFTER = 60


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
    subprocess.run(["pkill", "-KILL", "-P", str(server.proc.pid)], check=False)
    server.proc.kill()
    server.proc.wait(timeout=10)


def _start(server: Dovecot) -> None:
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
        assert server.proc.poll() is None, (server.dir / "stdout.log").read_text(errors="replace")
        assert time.monotonic() < deadline, "dovecot did not come back"
        time.sleep(0.05)


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
    assert STOP_AFTER <= stored < MESSAGES  # ... after storing part of the mail
    _start(own_dovecot)

    second = poller.fetch_mailbox(mailbox.pk)

    assert not second.error, second.error
    rows = InboundEmail.objects.filter(mailbox=mailbox)
    assert rows.count() == MESSAGES
    assert sorted(rows.values_list("uid", flat=True)) == list(range(1, MESSAGES + 1))
    assert set(rows.values_list("status", flat=True)) == {InboundStatus.PROCESSED}
