"""Background jobs of tickets (destek/tickets/tasks.py) and the embedded job queue running them."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from huey import SqliteHuey
from huey.contrib.djhuey import HUEY

from destek.accounts.services import add_member, create_workspace
from destek.tickets import actions
from destek.tickets.models import EventKind, Status, Ticket
from destek.tickets.tasks import auto_close_resolved_tickets, auto_close_tickets

NOW = datetime(2026, 11, 23, 10, 7, tzinfo=timezone.get_fixed_timezone(180))


def resolve(ticket: Ticket, agent, days_ago: float, now: datetime = NOW) -> Ticket:
    at = now - timedelta(days=days_ago)
    actions.reply(ticket=ticket, actor=agent, text="Çözüldü.", status=Status.RESOLVED, now=at)
    return Ticket.objects.get(pk=ticket.pk)


def new_ticket(workspace, customer, subject: str = "Sipariş nerede?") -> Ticket:
    return actions.create_ticket(
        workspace=workspace,
        customer=customer,
        subject=subject,
        text="Merhaba",
        created_at=NOW - timedelta(days=30),
    )


def test_auto_close_closes_tickets_resolved_longer_than_the_period(workspace, customer, agent):
    old = resolve(new_ticket(workspace, customer), agent, days_ago=7)
    recent = resolve(new_ticket(workspace, customer), agent, days_ago=6.9)

    assert auto_close_resolved_tickets(now=NOW) == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, old.closed_at) == (Status.CLOSED, NOW)
    assert recent.status == Status.RESOLVED
    event = old.events.filter(kind=EventKind.STATUS).last()
    assert (event.actor, event.old_value, event.new_value) == (None, "resolved", "closed")


def test_auto_close_leaves_active_tickets_alone(workspace, customer, agent):
    ticket = new_ticket(workspace, customer)
    actions.reply(ticket=ticket, actor=agent, text="Bakıyoruz.", now=NOW - timedelta(days=20))

    assert auto_close_resolved_tickets(now=NOW) == 0
    assert Ticket.objects.get(pk=ticket.pk).status == Status.OPEN


def test_auto_close_follows_each_workspaces_own_period(workspace, customer, agent):
    workspace.auto_close_days = 2
    workspace.save(update_fields=["auto_close_days"])
    ticket = resolve(new_ticket(workspace, customer), agent, days_ago=3)

    assert auto_close_resolved_tickets(now=NOW) == 1
    assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED


def test_auto_close_skips_a_read_only_workspace(workspace, customer, agent):
    ticket = resolve(new_ticket(workspace, customer), agent, days_ago=10)
    workspace.trial_ends_at = NOW - timedelta(days=1)
    workspace.save(update_fields=["trial_ends_at"])

    assert auto_close_resolved_tickets(now=NOW) == 0
    assert Ticket.objects.get(pk=ticket.pk).status == Status.RESOLVED


def test_auto_close_covers_every_workspace(workspace, customer, agent):
    other = create_workspace(
        name="Üçüncü", slug="ucuncu", prefix="UCN", owner_email="patron@ucuncu.test"
    )
    other_customer = actions.get_or_create_customer(workspace=other, email="ali@musteri.test")
    add_member(workspace=other, user=agent, role="agent")
    resolve(new_ticket(workspace, customer), agent, days_ago=8)
    resolve(new_ticket(other, other_customer), agent, days_ago=8)

    assert auto_close_resolved_tickets(now=NOW) == 2


def test_auto_close_task_is_scheduled_hourly_at_minute_seven():
    assert auto_close_tickets.s().validate_datetime(datetime(2026, 11, 23, 14, 7))
    assert not auto_close_tickets.s().validate_datetime(datetime(2026, 11, 23, 14, 8))
    due = HUEY.read_periodic(datetime(2026, 11, 23, 3, 7))
    assert "auto_close_tickets" in {task.name for task in due}


def test_auto_close_task_runs_the_function(workspace, customer, agent):
    ticket = resolve(new_ticket(workspace, customer), agent, days_ago=8, now=timezone.now())
    assert auto_close_tickets.call_local() == 1
    assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED


@pytest.mark.django_db(transaction=True)
def test_embedded_job_queue_stores_and_runs_a_job(tmp_path, workspace, customer, agent):
    """The SqliteHuey of the embedded default, for real: the job is written to the queue file,
    read back by a consumer's dequeue, executed, and its result stored."""
    queue = SqliteHuey("destek-test", filename=str(tmp_path / "jobs.sqlite3"))
    job = queue.task()(auto_close_resolved_tickets)
    ticket = resolve(new_ticket(workspace, customer), agent, days_ago=8)

    result = job(now=NOW)
    assert queue.pending_count() == 1
    assert Ticket.objects.get(pk=ticket.pk).status == Status.RESOLVED  # queued, not yet run

    queue.execute(queue.dequeue())
    assert result.get() == 1
    assert queue.pending_count() == 0
    assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED
