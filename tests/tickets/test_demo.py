"""The demo workspace (destek/tickets/demo.py): its plan, its people and its history."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from destek.accounts.models import Membership, Role, Workspace
from destek.tickets.demo import (
    DAYS,
    add_business_minutes,
    build_demo,
    customer_email,
    plan_tickets,
)
from destek.tickets.demo_content import CUSTOMERS, PASSWORD
from destek.tickets.models import (
    Category,
    Customer,
    EventKind,
    Message,
    MessageKind,
    Priority,
    Status,
    Ticket,
    TicketEvent,
)

IST = ZoneInfo("Europe/Istanbul")
NOW = datetime(2026, 11, 25, 15, 30, tzinfo=IST)  # a Wednesday afternoon


# --- the plan: pure, deterministic ------------------------------------------------------


def test_the_same_seed_and_now_give_the_same_plan():
    assert plan_tickets(seed=7, now=NOW, count=50) == plan_tickets(seed=7, now=NOW, count=50)


def test_another_seed_gives_another_plan():
    assert plan_tickets(seed=7, now=NOW, count=50) != plan_tickets(seed=8, now=NOW, count=50)


def test_every_planned_step_happens_after_its_ticket_opened_and_before_now():
    for plan in plan_tickets(now=NOW):
        assert NOW - timedelta(days=DAYS + 1) <= plan.created_at < NOW
        times = [plan.created_at, *(step.at for step in plan.steps)]
        assert times == sorted(times)
        assert all(at < NOW for at in times)


def test_business_minutes_skip_the_night_and_the_weekend():
    friday_evening = datetime(2026, 11, 27, 17, 30, tzinfo=IST)
    assert add_business_minutes(friday_evening, 60) == datetime(2026, 11, 30, 9, 30, tzinfo=IST)
    saturday = datetime(2026, 11, 28, 11, 0, tzinfo=IST)
    assert add_business_minutes(saturday, 15) == datetime(2026, 11, 30, 9, 15, tzinfo=IST)
    tuesday_morning = datetime(2026, 11, 24, 10, 0, tzinfo=IST)
    assert add_business_minutes(tuesday_morning, 30) == datetime(2026, 11, 24, 10, 30, tzinfo=IST)


def test_customer_addresses_are_under_the_reserved_test_domain():
    addresses = {customer_email(index) for index in range(len(CUSTOMERS) + 1)}
    assert len(addresses) == len(CUSTOMERS) + 1
    assert all(address.endswith(".test") and address.isascii() for address in addresses)


# --- the built workspace ------------------------------------------------------------------


def test_demo_has_the_documented_people_and_they_sign_in_with_the_demo_password(db):
    workspace = build_demo(tickets=0, now=NOW)
    assert (workspace.name, workspace.slug, workspace.prefix) == ("Demo Mağaza", "demo", "DST")
    assert workspace.activated_at is not None
    assert not workspace.is_read_only(NOW + timedelta(days=365))
    roles = {
        membership.user.email: membership.role
        for membership in Membership.objects.filter(workspace=workspace).select_related("user")
    }
    assert roles == {
        "patron@demo.destek.test": Role.OWNER,
        "yonetici@demo.destek.test": Role.ADMIN,
        "ayse@demo.destek.test": Role.AGENT,
        "mehmet@demo.destek.test": Role.AGENT,
        "elif@demo.destek.test": Role.AGENT,
    }
    memberships = Membership.objects.filter(workspace=workspace).select_related("user")
    assert all(membership.user.check_password(PASSWORD) for membership in memberships)


def test_demo_has_forty_customers_some_of_them_in_organizations(db):
    workspace = build_demo(tickets=0, now=NOW)
    customers = Customer.objects.for_workspace(workspace)
    assert customers.count() == 40
    assert customers.filter(organization__isnull=False).count() == 13
    assert customers.get(email="zeynep@kayatekstil.test").organization.name == "Kaya Tekstil"


@pytest.fixture
def demo(db) -> Workspace:
    return build_demo(tickets=80, now=NOW)


def test_demo_tickets_cover_every_status_priority_category_and_message_kind(db):
    demo = build_demo(now=NOW)
    tickets = Ticket.objects.for_workspace(demo)
    # 200 requests, and the follow-ups that customers opened by writing after a close.
    follow_ups = tickets.filter(follow_up_of__isnull=False).count()
    assert 0 < follow_ups < 20
    assert sorted(tickets.values_list("number", flat=True)) == list(range(1, 201 + follow_ups))
    assert set(tickets.values_list("status", flat=True)) == set(Status.values)
    assert set(tickets.values_list("priority", flat=True)) == set(Priority.values)
    categories = set(Category.objects.filter(workspace=demo).values_list("pk", flat=True))
    assert categories <= set(tickets.values_list("category", flat=True))
    kinds = Counter(Message.objects.filter(workspace=demo).values_list("kind", flat=True))
    assert {MessageKind.CUSTOMER, MessageKind.REPLY, MessageKind.NOTE} <= set(kinds)
    assert kinds[MessageKind.CUSTOMER] > len(tickets)  # conversations, not one-liners
    assert tickets.filter(reopen_count__gt=0).exists()
    assert tickets.filter(status=Status.NEW, assignee__isnull=True).exists()


def test_demo_history_is_consistent_as_if_it_happened(demo):
    tickets = Ticket.objects.for_workspace(demo)
    assert tickets.filter(created_at__lt=NOW - timedelta(days=DAYS + 1)).count() == 0
    assert not Message.objects.filter(workspace=demo, created_at__gte=NOW).exists()
    assert not TicketEvent.objects.filter(workspace=demo, created_at__gte=NOW).exists()
    for ticket in tickets.prefetch_related("messages", "events"):
        replies = [m.created_at for m in ticket.messages.all() if m.kind == MessageKind.REPLY]
        assert ticket.first_response_at == (min(replies) if replies else None)
        statuses = [e for e in ticket.events.all() if e.kind == EventKind.STATUS]
        assert ticket.status == (statuses[-1].new_value if statuses else Status.NEW)
        if ticket.status == Status.CLOSED:
            assert ticket.closed_at >= ticket.resolved_at >= ticket.created_at


def test_demo_auto_closes_a_week_after_resolution_at_the_jobs_minute(demo):
    closed_by_system = TicketEvent.objects.filter(
        workspace=demo, kind=EventKind.STATUS, new_value=Status.CLOSED, actor__isnull=True
    ).select_related("ticket")
    assert closed_by_system.exists()
    for event in closed_by_system:
        assert event.created_at.minute == 7
        assert timedelta(days=7) <= event.created_at - event.ticket.resolved_at
        assert event.created_at - event.ticket.resolved_at < timedelta(days=7, hours=1)
