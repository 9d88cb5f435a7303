"""Web and worker at the same time, on the real database (SQLite file in WAL mode, or
PostgreSQL): a worker thread ingests mail while agents' threads post replies, notes and status
changes through the web layer. Nothing fails with "database is locked", no write is lost, no
tracking number is handed out twice."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client

from destek.mail.ingest import receive_and_process
from destek.tickets.models import Message, Ticket, TicketEvent
from tests.mail.inbound import build_mail, make_mailbox

pytestmark = pytest.mark.django_db(transaction=True)

FIRST_TICKETS = 4
NEW_MAILS = 12
FOLLOW_UPS = 8
ROUNDS = 8
STATUSES = ["open", "pending", "open", "resolved", "open"]


def _mail(number: int, subject: str | None = None, sender: int | None = None) -> bytes:
    who = sender if sender is not None else number
    return build_mail(
        subject=subject or f"Sipariş {number} nerede?",
        sender=f"Müşteri {who} <musteri{who}@musteri.test>",
        message_id=f"<eszamanli.{number}@musteri.test>",
        text=f"Mesaj {number}\n",
    )


def _run_all(jobs) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(jobs))

    def wrap(job):
        try:
            start.wait()
            job()
        except BaseException as error:  # noqa: BLE001 (reported by the test)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return errors


def test_worker_and_web_write_together_without_locks_lost_updates_or_duplicates(
    workspace, admin, agent
):
    mailbox = make_mailbox(workspace)
    first = [receive_and_process(mailbox, _mail(n), source="pipe").ticket for n in range(4)]
    numbers = [ticket.number for ticket in first]
    answers: Counter[str] = Counter()
    lock = threading.Lock()

    def worker():
        for n in range(FIRST_TICKETS, FIRST_TICKETS + NEW_MAILS):
            receive_and_process(mailbox, _mail(n), source="pipe")
        for n in range(FOLLOW_UPS):
            target = first[n % FIRST_TICKETS]
            subject = f"Re: [{target.code}] Sipariş"
            raw = _mail(100 + n, subject=subject, sender=n % FIRST_TICKETS)
            receive_and_process(mailbox, raw, source="pipe")

    def agent_job(user, name):
        def job():
            client = Client()
            client.force_login(user)
            for r in range(ROUNDS):
                number = numbers[r % len(numbers)]
                base = f"/w/anadolu/t/{number}/"
                results = [
                    client.post(base + "reply/", {"text": f"{name} yanıt {r}", "status": ""}),
                    client.post(base + "note/", {"text": f"{name} not {r}"}),
                    client.post(base + "status/", {"status": STATUSES[r % len(STATUSES)]}),
                ]
                with lock:
                    for kind, response in zip(("reply", "note", "status"), results, strict=True):
                        answers[f"{kind} {response.status_code}"] += 1

        return job

    errors = _run_all([worker, agent_job(admin, "yonetici"), agent_job(agent, "ayse")])

    assert errors == []
    assert answers["reply 302"] == answers["note 302"] == 2 * ROUNDS
    assert sum(n for key, n in answers.items() if key.startswith("status")) == 2 * ROUNDS
    assert not [key for key in answers if key.endswith("500")]
    tickets = Ticket.objects.filter(workspace=workspace)
    total = FIRST_TICKETS + NEW_MAILS
    assert sorted(tickets.values_list("number", flat=True)) == list(range(1, total + 1))
    workspace.refresh_from_db()
    assert workspace.ticket_counter == total
    kinds = Counter(Message.objects.values_list("kind", flat=True))
    assert kinds["customer"] == total + FOLLOW_UPS
    assert kinds["reply"] == 2 * ROUNDS and kinds["note"] == 2 * ROUNDS
    texts = Counter(Message.objects.filter(kind="reply").values_list("text", flat=True))
    assert set(texts.values()) == {1}
    for ticket in tickets:
        last = (
            TicketEvent.objects.filter(ticket=ticket, kind__in=["status", "reopened"])
            .order_by("created_at", "pk")
            .last()
        )
        if last is not None:
            assert last.new_value == ticket.status, ticket.code  # no status change lost
