"""IMAP IDLE against a real Dovecot: mail delivered over LMTP is fetched within seconds.

Waits are bounded (they fail after a generous timeout), never speed assertions."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from destek.mail import daemon, poller
from destek.mail.idle import IdleWatcher, IdleWatchers, Wakeup
from destek.mail.models import InboundEmail
from tests.mail.conftest import make_mailbox, turkish_mail

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 20.0


def wait_for(condition, timeout: float = TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def watched(workspace, trust_dovecot, imap_account):
    mailbox = make_mailbox(workspace, trust_dovecot, *imap_account)
    assert not poller.fetch_mailbox(mailbox.pk).error
    return mailbox


def test_new_mail_becomes_a_ticket_within_seconds(watched, trust_dovecot, imap_account):
    wakeup = Wakeup()
    watchers = IdleWatchers(wakeup, check_seconds=0.2)

    def run() -> None:
        try:
            # An hour between polls: only IDLE can bring the mail in during this test.
            daemon.run_forever(wakeup, interval=3600, watchers=watchers)
        finally:
            connection.close()

    loop = threading.Thread(target=run)
    loop.start()
    try:
        assert wait_for(lambda: watched.pk in watchers.watchers)
        assert watchers.watchers[watched.pk].watching.wait(TIMEOUT)
        started = time.monotonic()
        trust_dovecot.deliver(imap_account[0], turkish_mail(7))

        assert wait_for(lambda: InboundEmail.objects.filter(ticket__isnull=False).exists())
        print(f"IDLE: delivered to ticket in {time.monotonic() - started:.2f} s")
    finally:
        wakeup.stop()
        loop.join(TIMEOUT)
    assert not loop.is_alive()
    assert InboundEmail.objects.get().ticket.subject.startswith("Sipariş #1007")
    assert watchers.watchers == {}  # stopped with the loop


def test_idle_is_renewed_and_still_hears_new_mail(watched, trust_dovecot, imap_account):
    wakeup = Wakeup()
    watcher = IdleWatcher(watched.pk, wakeup, renew_seconds=0.3, check_seconds=0.1)
    watcher.start()
    try:
        assert watcher.watching.wait(TIMEOUT)
        time.sleep(1.0)  # a few renewals (IDLE DONE + IDLE) go by
        trust_dovecot.deliver(imap_account[0], turkish_mail(8))

        assert wakeup.wait(TIMEOUT) == {watched.pk}
    finally:
        watcher.stop()
        watcher.join(TIMEOUT)
    assert watcher.supported is True
    assert not watcher.is_alive()


def test_a_watcher_stops_when_its_mailbox_no_longer_needs_one(watched):
    watchers = IdleWatchers(Wakeup(), check_seconds=0.1)
    watchers.sync([watched.pk])
    watcher = watchers.watchers[watched.pk]
    assert watcher.watching.wait(TIMEOUT)

    watchers.sync([])

    watcher.join(TIMEOUT)
    assert not watcher.is_alive()
    assert watchers.watchers == {}


def test_the_wakeup_returns_at_once_on_a_stop_request():
    wakeup = Wakeup()
    threading.Timer(0.1, wakeup.stop).start()

    assert wakeup.wait(TIMEOUT) == set()
    assert wakeup.stopped
