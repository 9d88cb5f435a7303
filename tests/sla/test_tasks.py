"""Near-breach and breach alerts (destek/sla/alerts.py, tasks.py): raised once each, on the
timeline and by mail to the people who can act, never with customer content."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from destek.sla.alerts import raise_alerts
from destek.sla.tasks import check_sla
from destek.tickets import actions
from destek.tickets.models import EventKind, TicketEvent
from destek.tickets.timeline import describe
from tests.sla.conftest import fresh, ist


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the check at ``now`` with its mail actually sent (after the commit)."""

    def check(now: datetime) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return raise_alerts(now)

    return check


def sla_events(ticket) -> list[tuple[str, str, str]]:
    return list(
        TicketEvent.objects.filter(
            ticket=ticket, kind__in=[EventKind.SLA_WARNING, EventKind.SLA_BREACH]
        ).values_list("kind", "new_value", "old_value")
    )


def test_warning_at_80_percent_goes_to_the_assignee_once(ticket_at, agent, run, mailoutbox):
    ticket = ticket_at(priority="P0")  # first response due 11:00, near 10:48
    actions.assign(ticket=ticket, actor=agent, assignee=agent, now=ist(2026, 11, 23, 10, 1))

    assert run(ist(2026, 11, 23, 10, 47)) == 0
    assert run(ist(2026, 11, 23, 10, 48)) == 1
    assert run(ist(2026, 11, 23, 10, 49)) == 0

    assert sla_events(ticket) == [("sla_warning", "first_response", "2026-11-23T08:00:00+00:00")]
    assert fresh(ticket).sla_first_response_warned_at == ist(2026, 11, 23, 10, 48)
    [mail] = mailoutbox
    assert mail.to == ["ayse@anadolu.test"]
    assert mail.subject == "[DST-1] SLA uyarısı: ilk yanıt süresinin %80'i doldu"
    assert mail.body == (
        "Talep: DST-1\n"
        "Öncelik: P0 · Acil\n"
        "Son süre: 23 Kasım 2026 11:00 (Europe/Istanbul)\n"
        "\n"
        "http://127.0.0.1:8000/w/anadolu/t/1/\n"
    )
    assert mail.extra_headers["X-Destek-Workspace"] == "anadolu"
    assert mail.extra_headers["X-Destek-Mail"] == "sla"
    assert "Sipariş" not in mail.subject + mail.body  # the ticket's subject stays inside


def test_breach_goes_to_every_agent_when_nobody_holds_the_ticket(
    ticket_at, admin, agent, run, mailoutbox
):
    ticket = ticket_at(priority="P0")
    run(ist(2026, 11, 23, 10, 50))

    assert run(ist(2026, 11, 23, 11, 0)) == 1

    assert [kind for kind, _clock, _due in sla_events(ticket)] == ["sla_warning", "sla_breach"]
    breach = mailoutbox[-2:]
    assert sorted(address for mail in breach for address in mail.to) == [
        "ayse@anadolu.test",
        "yonetici@anadolu.test",
    ]
    assert {mail.subject for mail in breach} == {"[DST-1] SLA ihlali: ilk yanıt süresi aşıldı"}
    assert fresh(ticket).sla_first_response_breached_at == ist(2026, 11, 23, 11, 0)


def test_breach_found_before_its_warning_raises_only_the_breach(ticket_at, agent, run):
    ticket = ticket_at(priority="P0")

    assert run(ist(2026, 11, 23, 11, 5)) == 1

    assert sla_events(ticket) == [("sla_breach", "first_response", "2026-11-23T08:00:00+00:00")]
    warned = fresh(ticket)
    assert warned.sla_first_response_warned_at == warned.sla_first_response_breached_at


def test_resolution_clock_alerts_after_the_first_reply(ticket_at, agent, run):
    ticket = ticket_at(priority="P0")  # resolution due 18:00, near 16:24
    actions.reply(ticket=ticket, actor=agent, text="Bakıyoruz.", now=ist(2026, 11, 23, 10, 30))

    assert run(ist(2026, 11, 23, 16, 24)) == 1
    assert sla_events(ticket) == [("sla_warning", "resolution", "2026-11-23T15:00:00+00:00")]


def test_answered_paused_and_finished_tickets_raise_nothing(ticket_at, agent, run):
    answered, paused, done = ticket_at(priority="P0"), ticket_at(priority="P0"), ticket_at()
    actions.reply(ticket=answered, actor=agent, text="Tamam.", now=ist(2026, 11, 23, 10, 10))
    actions.change_status(
        ticket=paused, actor=agent, status="pending", now=ist(2026, 11, 23, 10, 5)
    )
    actions.change_status(ticket=done, actor=agent, status="closed", now=ist(2026, 11, 23, 10, 5))

    assert run(ist(2026, 11, 23, 11, 30)) == 0


def test_stale_breach_is_recorded_without_mail(ticket_at, agent, run, mailoutbox):
    ticket = ticket_at(priority="P0")

    # First response due Monday 11:00, resolution Monday 18:00: both over a day late.
    assert run(ist(2026, 11, 24, 18, 1)) == 2

    assert [kind for kind, _clock, _due in sla_events(ticket)] == ["sla_breach", "sla_breach"]
    assert mailoutbox == []


def test_read_only_workspace_is_left_alone(workspace, ticket_at, run):
    ticket_at(priority="P0")
    workspace.trial_ends_at = ist(2026, 11, 23, 9)
    workspace.save(update_fields=["trial_ends_at"])

    assert run(ist(2026, 11, 23, 11, 30)) == 0


def test_timeline_reads_the_alerts(ticket_at, run):
    ticket = ticket_at(priority="P0")
    run(ist(2026, 11, 23, 10, 50))
    run(ist(2026, 11, 23, 11, 0))
    timezone.activate(ist(2026, 1, 1).tzinfo)

    sentences = [describe(event) for event in ticket.events.filter(kind__startswith="sla")]

    assert sentences == [
        "İlk yanıt süresinin %80'i doldu (son süre 23 Kas 11:00)",
        "İlk yanıt süresi aşıldı (son süre 23 Kas 11:00)",
    ]


def test_check_is_a_periodic_task_of_every_minute():
    assert check_sla.s().validate_datetime(datetime(2026, 11, 23, 10, 7))
    assert check_sla.s().validate_datetime(datetime(2026, 11, 23, 23, 59))
    due = HUEY.read_periodic(datetime(2026, 11, 23, 3, 1))
    assert "check_sla" in {task.name for task in due}


def test_task_runs_the_check(ticket_at, agent):
    ticket = ticket_at(priority="P0", at=timezone.now() - timedelta(hours=2))
    assert check_sla.call_local() == 1
    assert [kind for kind, _clock, _due in sla_events(ticket)] == ["sla_breach"]
