"""Due times stored on tickets and kept right on every change (destek/sla/services.py).

Tickets are created Monday 23 November 2026 10:00 Istanbul on the default calendar; the expected
instants are counted by hand as in test_clock.py.
"""

from __future__ import annotations

from datetime import date, time
from io import StringIO

from django.core.management import call_command

from destek.accounts.services import create_workspace
from destek.sla import services
from destek.sla.models import BusinessCalendar, ClosedDay, OpeningHours, SlaPolicy
from destek.tickets import actions
from destek.tickets.models import Ticket
from tests.sla.conftest import fresh, ist


def test_new_workspace_gets_the_design_defaults(workspace):
    policies = SlaPolicy.objects.filter(workspace=workspace).order_by("priority")
    assert [
        (p.priority, p.first_response_minutes, p.resolution_minutes, p.business_hours)
        for p in policies
    ] == [
        ("P0", 60, 480, False),
        ("P1", 240, 540, True),
        ("P2", 540, 1620, True),
        ("P3", 1080, None, True),
    ]
    hours = OpeningHours.objects.filter(workspace=workspace)
    assert [(h.weekday, h.opens, h.closes) for h in hours] == [
        (day, time(9), time(18)) for day in range(5)
    ]
    assert BusinessCalendar.objects.get(workspace=workspace).public_holidays is True


def test_calendar_takes_the_workspace_time_zone(db):
    workspace = create_workspace(
        name="Berlin", slug="berlin", prefix="BER", owner_email="patron@berlin.test"
    )
    workspace.time_zone = "Europe/Berlin"
    workspace.save(update_fields=["time_zone"])
    assert str(services.load_calendar(workspace).zone) == "Europe/Berlin"


def test_created_ticket_gets_its_due_times(ticket_at):
    ticket = fresh(ticket_at(priority="P2"))
    assert ticket.first_response_due_at == ist(2026, 11, 24, 10, 0)
    assert ticket.first_response_near_at == ist(2026, 11, 23, 17, 12)
    assert ticket.resolution_due_at == ist(2026, 11, 26, 10, 0)
    assert ticket.resolution_near_at == ist(2026, 11, 25, 13, 36)
    assert (ticket.sla_paused_at, ticket.sla_paused_seconds) == (None, 0)


def test_ticket_created_at_1730_with_p0_is_due_an_hour_later_at_night_too(ticket_at):
    ticket = fresh(ticket_at(ist(2026, 11, 27, 17, 30), priority="P0"))
    assert ticket.first_response_due_at == ist(2026, 11, 27, 18, 30)
    assert ticket.resolution_due_at == ist(2026, 11, 28, 1, 30)


def test_priority_change_recomputes_from_creation(ticket_at, agent):
    ticket = ticket_at(priority="P2")
    actions.set_priority(ticket=ticket, actor=agent, priority="P1", now=ist(2026, 11, 23, 11))
    assert fresh(ticket).first_response_due_at == ist(2026, 11, 23, 14, 0)
    assert fresh(ticket).resolution_due_at == ist(2026, 11, 24, 10, 0)


def test_pending_pauses_and_the_customers_answer_resumes(ticket_at, agent, customer):
    ticket = ticket_at(priority="P1")
    actions.change_status(ticket=ticket, actor=agent, status="pending", now=ist(2026, 11, 23, 11))
    paused = fresh(ticket)
    assert (paused.first_response_due_at, paused.resolution_due_at) == (None, None)
    assert paused.sla_paused_at == ist(2026, 11, 23, 11)

    actions.add_customer_message(
        ticket=ticket, customer=customer, text="Bilgiler ekte.", now=ist(2026, 11, 24, 10)
    )
    resumed = fresh(ticket)
    # 1 h ran before the pause; 8 business hours paused (Mon 11–18, Tue 9–10).
    assert resumed.first_response_due_at == ist(2026, 11, 24, 13, 0)
    assert resumed.resolution_due_at == ist(2026, 11, 24, 18, 0)
    assert (resumed.sla_paused_at, resumed.sla_paused_seconds) == (None, 8 * 3600)


def test_first_reply_ends_the_first_response_clock(ticket_at, agent):
    ticket = ticket_at(priority="P1")
    actions.reply(ticket=ticket, actor=agent, text="Bakıyoruz.", now=ist(2026, 11, 23, 12))
    actions.change_status(ticket=ticket, actor=agent, status="pending", now=ist(2026, 11, 23, 13))
    replied = fresh(ticket)
    assert replied.first_response_due_at == ist(2026, 11, 23, 14, 0)
    assert replied.resolution_due_at is None  # standing still with 6 h left


def test_resolved_ticket_keeps_its_resolution_due_time(ticket_at, agent):
    ticket = ticket_at(priority="P1")
    actions.reply(
        ticket=ticket, actor=agent, text="Düzelttik.", status="resolved", now=ist(2026, 11, 23, 16)
    )
    resolved = fresh(ticket)
    assert resolved.resolution_due_at == ist(2026, 11, 24, 10, 0)
    assert resolved.resolved_at == ist(2026, 11, 23, 16)


def test_policy_edit_recomputes_open_tickets(workspace, ticket_at):
    ticket = ticket_at(priority="P2")
    count = services.save_policies(
        workspace=workspace, targets={"P2": (120, None, True)}, now=ist(2026, 11, 23, 10, 30)
    )
    assert count == 1
    edited = fresh(ticket)
    assert edited.first_response_due_at == ist(2026, 11, 23, 12, 0)
    assert edited.resolution_due_at is None


def test_closed_day_moves_due_times(workspace, ticket_at):
    ticket = ticket_at(priority="P2")
    services.add_closed_day(workspace=workspace, day=date(2026, 11, 24), name="Sayım")
    assert fresh(ticket).first_response_due_at == ist(2026, 11, 25, 10, 0)
    closed_day = ClosedDay.objects.get(workspace=workspace)
    services.remove_closed_day(closed_day=closed_day)
    assert fresh(ticket).first_response_due_at == ist(2026, 11, 24, 10, 0)


def test_weekly_hours_edit_moves_due_times(workspace, ticket_at):
    ticket = ticket_at(priority="P1")
    services.save_hours(workspace=workspace, hours={0: (time(9), time(12))}, public_holidays=True)
    # Mondays 09–12 only: 2 h left this Monday, the other 2 h next Monday 09:00–11:00.
    assert fresh(ticket).first_response_due_at == ist(2026, 11, 30, 11, 0)


def test_priority_without_a_policy_has_no_due_times(workspace, ticket_at):
    SlaPolicy.objects.filter(workspace=workspace, priority="P3").delete()
    ticket = fresh(ticket_at(priority="P3"))
    assert (ticket.first_response_due_at, ticket.resolution_due_at) == (None, None)


def test_breach_mark_is_cleared_when_a_change_moves_the_due_time_into_the_future(ticket_at, agent):
    ticket = ticket_at(priority="P0")
    Ticket.objects.filter(pk=ticket.pk).update(
        sla_first_response_warned_at=ist(2026, 11, 23, 10, 48),
        sla_first_response_breached_at=ist(2026, 11, 23, 11),
    )
    actions.set_priority(ticket=ticket, actor=agent, priority="P3", now=ist(2026, 11, 23, 11, 5))
    lowered = fresh(ticket)
    assert lowered.first_response_due_at == ist(2026, 11, 25, 10, 0)
    assert (lowered.sla_first_response_warned_at, lowered.sla_first_response_breached_at) == (
        None,
        None,
    )


def test_breach_mark_stays_when_the_due_time_is_still_past(ticket_at, agent):
    ticket = ticket_at(priority="P0")
    Ticket.objects.filter(pk=ticket.pk).update(sla_first_response_breached_at=ist(2026, 11, 23, 11))
    actions.set_priority(ticket=ticket, actor=agent, priority="P1", now=ist(2026, 11, 23, 15))
    assert fresh(ticket).sla_first_response_breached_at == ist(2026, 11, 23, 11)


def test_recompute_command_fills_every_open_ticket(workspace, ticket_at):
    ticket = ticket_at(priority="P2")
    Ticket.objects.filter(pk=ticket.pk).update(first_response_due_at=None)
    assert services.recompute_workspace(workspace, now=ist(2026, 11, 23, 10)) == 1
    assert fresh(ticket).first_response_due_at == ist(2026, 11, 24, 10, 0)


def test_recompute_command_reports_each_workspace(workspace, other_workspace, ticket_at):
    ticket = ticket_at(priority="P2")
    Ticket.objects.filter(pk=ticket.pk).update(first_response_due_at=None)
    out = StringIO()

    call_command("sla_recompute", workspace="anadolu", stdout=out)

    assert out.getvalue() == "anadolu: 1\n"
    assert fresh(ticket).first_response_due_at == ist(2026, 11, 24, 10, 0)


def test_new_tickets_of_one_moment_share_one_computation_in_a_batch(workspace, customer):
    from unittest import mock

    from destek.lib.memo import batch_scope
    from destek.tickets.models import Priority
    from tests.sla.conftest import MONDAY_10

    def new(priority: str) -> Ticket:
        return Ticket(
            workspace=workspace, customer=customer, priority=priority, created_at=MONDAY_10
        )

    alone = new(Priority.P2)
    services.set_new_ticket_fields(alone, now=MONDAY_10)
    with batch_scope(), mock.patch.object(services, "_times", wraps=services._times) as times:
        made = [new(priority) for priority in ("P2", "P2", "P1", "P2")]
        for ticket in made:
            services.set_new_ticket_fields(ticket, now=MONDAY_10)

    assert times.call_count == 2  # one per priority
    assert [t.first_response_due_at for t in made[:2]] == [alone.first_response_due_at] * 2
    assert made[0].first_response_due_at == ist(2026, 11, 24, 10, 0)  # 9 working hours on
    assert made[2].first_response_due_at != made[3].first_response_due_at
