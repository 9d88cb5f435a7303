"""The lease on a mailbox row: two workers never fetch the same mailbox at once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from destek.mail import lease, poller
from destek.mail.models import InboundEmail, Mailbox
from tests.mail.conftest import make_mailbox, turkish_mail


@pytest.fixture
def box(workspace) -> Mailbox:
    return Mailbox.objects.create(workspace=workspace, address="destek@anadolu.test")


def live_owner() -> str:
    """Another worker of this very process (alive by definition)."""
    return f"{socket.gethostname()}:{os.getpid()}:baska"


def test_a_free_mailbox_is_claimed(box):
    assert lease.claim(box.pk, "a")
    box.refresh_from_db()
    assert box.lease_owner == "a"
    assert box.lease_until > timezone.now()


def test_a_held_lease_is_refused_to_another_worker(box):
    assert lease.claim(box.pk, live_owner())
    assert not lease.claim(box.pk, "b")
    assert lease.claim(box.pk, live_owner())  # the holder may renew


def test_an_expired_lease_is_free(box):
    assert lease.claim(box.pk, live_owner(), now=timezone.now() - timedelta(hours=1))
    assert lease.claim(box.pk, "b")


def test_a_released_lease_is_free(box):
    lease.claim(box.pk, live_owner())
    lease.release(box.pk, live_owner())
    assert lease.claim(box.pk, "b")


def test_the_lease_of_a_dead_process_on_this_host_is_taken_over(box):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    assert lease.claim(box.pk, f"{socket.gethostname()}:{dead.pid}:x")

    assert lease.claim(box.pk, "b")


def test_the_lease_of_a_process_on_another_host_waits_for_expiry(box):
    assert lease.claim(box.pk, "baska-makine:1:x")
    assert not lease.claim(box.pk, "b")


def test_progress_is_not_written_without_the_lease(box):
    lease.claim(box.pk, "b", now=timezone.now() - timedelta(hours=1))
    lease.claim(box.pk, live_owner())

    with pytest.raises(lease.LeaseLost):
        lease.advance(box.pk, "b", last_uid=99)
    box.refresh_from_db()
    assert box.last_uid == 0


@pytest.mark.django_db(transaction=True)
def test_of_two_workers_claiming_at_once_exactly_one_wins(box):
    rounds = 10
    barrier = threading.Barrier(2)
    wins: list[str] = []

    def worker(name: str) -> None:
        try:
            for _ in range(rounds):
                barrier.wait()
                if lease.claim(box.pk, f"{socket.gethostname()}:{os.getpid()}:{name}"):
                    wins.append(name)
                barrier.wait()
                # Both have tried: the winner lets go for the next round.
                lease.release(box.pk, f"{socket.gethostname()}:{os.getpid()}:{name}")
                barrier.wait()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert len(wins) == rounds


@pytest.mark.django_db(transaction=True)
def test_a_mailbox_being_fetched_is_not_fetched_by_a_second_worker(
    workspace, trust_dovecot, imap_account
):
    mailbox = make_mailbox(workspace, trust_dovecot, *imap_account)
    poller.fetch_mailbox(mailbox.pk)
    trust_dovecot.append(*imap_account, [turkish_mail(n) for n in range(1, 4)])
    inside, go_on = threading.Event(), threading.Event()
    first: list[poller.FetchOutcome] = []

    def pause_after_first_message() -> bool:
        inside.set()
        go_on.wait(30)
        return False

    def first_worker() -> None:
        try:
            first.append(poller.fetch_mailbox(mailbox.pk, should_stop=pause_after_first_message))
        finally:
            connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    try:
        assert inside.wait(30)
        second = poller.fetch_mailbox(mailbox.pk)
    finally:
        go_on.set()
        thread.join(30)

    assert (second.busy, second.fetched) == (True, 0)
    assert first[0].fetched == 3
    assert InboundEmail.objects.count() == 3
