"""The real services behind Destek: the database under concurrent writers, and Redis for jobs and
cache.

A run without DATABASE_URL or REDIS_URL is the embedded set-up (SQLite, SqliteHuey), where the
PostgreSQL- and Redis-only tests do not apply and skip. A run that names a service must reach
it: unreachable, the test skips locally and fails under DESTEK_REQUIRE_SERVICES=1 (CI), so CI's
PostgreSQL + Redis pass can never go green on skips (tests.conftest.require_service).
"""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from huey import RedisHuey
from huey.contrib.djhuey import HUEY

from destek.tickets import actions
from destek.tickets.models import Status, Ticket
from destek.tickets.tasks import auto_close_resolved_tickets
from tests.conftest import require_service

WRITERS = 12


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def require_redis() -> None:
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: this run uses the embedded job queue")
    require_service(_redis_reachable(), "Redis at REDIS_URL is not reachable")


# --- Ticket numbers: gap-free under concurrent writers (SQLite and PostgreSQL) ---------------


@pytest.mark.django_db(transaction=True)
def test_ticket_numbers_stay_gap_free_under_concurrent_writers(workspace, customer):
    """Every writer gets its own connection and transaction: on PostgreSQL the counter row lock,
    on SQLite the immediate write lock, must hand out each number exactly once."""
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(index: int) -> None:
        try:
            start.wait(timeout=30)
            actions.create_ticket(
                workspace=workspace, customer=customer, subject=f"Talep {index}", text="Merhaba"
            )
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(index,)) for index in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    numbers = Ticket.objects.for_workspace(workspace).values_list("number", flat=True)
    assert sorted(numbers) == list(range(1, WRITERS + 1))
    workspace.refresh_from_db()
    assert workspace.ticket_counter == WRITERS


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_ticket_gives_its_number_back(workspace, customer):
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.create_ticket(workspace=workspace, customer=customer, subject="A", text="a")
        raise RuntimeError("the rest of the request failed")
    ticket = actions.create_ticket(workspace=workspace, customer=customer, subject="B", text="b")
    assert ticket.number == 1


def test_database_url_runs_the_suite_on_postgresql(db):
    if not settings.DATABASE_URL:
        pytest.skip("DATABASE_URL is not set: this run uses SQLite")
    assert connection.vendor == "postgresql"


# --- Redis: the job queue and the cache ----------------------------------------------------


def test_redis_url_makes_the_configured_queue_redis():
    require_redis()
    assert isinstance(HUEY, RedisHuey)


@pytest.mark.django_db(transaction=True)
def test_redis_job_queue_stores_and_runs_a_job(workspace, customer, agent):
    """RedisHuey for real, on a queue name of its own so a running worker never takes the job."""
    require_redis()
    queue = RedisHuey(f"destek-test-{uuid.uuid4().hex}", url=settings.REDIS_URL)
    job = queue.task()(auto_close_resolved_tickets)
    now = timezone.now()
    ticket = actions.create_ticket(
        workspace=workspace, customer=customer, subject="Kargo", text="Merhaba"
    )
    actions.reply(
        ticket=ticket, actor=agent, text="Tamam", status=Status.RESOLVED, now=now - timedelta(8)
    )
    try:
        result = job(now=now)
        assert queue.pending_count() == 1
        queue.execute(queue.dequeue())
        assert result.get() == 1
        assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED
    finally:
        queue.flush()


def test_redis_cache_round_trip():
    require_redis()
    key = f"destek-test-{uuid.uuid4().hex}"
    cache.set(key, {"kod": "DST-1042"}, timeout=30)
    try:
        assert cache.get(key) == {"kod": "DST-1042"}
    finally:
        cache.delete(key)
