"""In-app notifications: who receives them (never the owner, never another workspace, never the
actor), what the desk raises by itself (assignment, customer reply, SLA) and what they say."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from destek.accounts.models import Membership, Role
from destek.notifications import kinds
from destek.notifications.models import Notification
from destek.notifications.services import notify, unread_count
from destek.sla.alerts import raise_alerts
from destek.tickets import actions
from destek.tickets.assignment import route_and_assign
from destek.tickets.models import AssignmentMode, Team
from tests.conftest import make_user
from tests.sla.conftest import MONDAY_10, ist


def texts_of(user) -> list[str]:
    return [n.text for n in Notification.objects.filter(recipient=user).order_by("pk")]


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_notify_reaches_admins_and_agents_only(ticket, owner, admin, agent, other_agent):
    made = notify(
        recipients=[owner, admin, agent, other_agent], ticket=ticket, kind=kinds.CUSTOMER_REPLIED
    )

    assert sorted(n.recipient.email for n in made) == [
        "ayse@anadolu.test",
        "yonetici@anadolu.test",
    ]
    assert texts_of(owner) == [] and texts_of(other_agent) == []


def test_the_actor_is_not_told_about_their_own_act(ticket, admin, agent):
    notify(recipients=[admin, agent], ticket=ticket, kind=kinds.ASSIGNED, actor=admin)

    assert texts_of(agent) == [f"{admin.display_name} size DST-1 talebini atadı"]
    assert texts_of(admin) == []


def test_text_is_rendered_in_the_readers_language(ticket, agent):
    notify(recipients=[agent], ticket=ticket, kind=kinds.SLA_RESOLUTION_BREACH)
    notification = Notification.objects.get()

    assert notification.text == "DST-1: çözüm süresi aşıldı"
    with translation.override("en"):
        assert notification.text == "DST-1: resolution time exceeded"


def test_assigning_to_someone_else_notifies_them(ticket, admin, agent, on_commit):
    with on_commit():
        actions.assign(ticket=ticket, actor=admin, assignee=agent)

    assert texts_of(agent) == [f"{admin.display_name} size DST-1 talebini atadı"]


def test_claiming_notifies_nobody(ticket, agent, on_commit):
    with on_commit():
        actions.claim(ticket=ticket, actor=agent)

    assert Notification.objects.count() == 0


def test_automatic_assignment_notifies_the_assignee(workspace, customer, agent, on_commit):
    team = Team.objects.create(
        workspace=workspace, name="Teknik", assignment_mode=AssignmentMode.ROUND_ROBIN
    )
    team.members.add(Membership.objects.get(workspace=workspace, user=agent))
    ticket = actions.create_ticket(workspace=workspace, customer=customer, subject="x", text="y")
    ticket = actions.set_team(ticket=ticket, actor=None, team=team)

    with on_commit():
        route_and_assign(ticket)

    assert texts_of(agent) == ["DST-1 talebi otomatik atamayla size verildi"]


def test_a_customer_reply_notifies_the_assignee(ticket, customer, admin, agent, on_commit):
    actions.assign(ticket=ticket, actor=admin, assignee=agent)

    with on_commit():
        actions.add_customer_message(ticket=ticket, customer=customer, text="Hâlâ olmadı")
        actions.add_customer_message(
            ticket=ticket,
            customer=customer,
            text="eski",
            now=timezone.now() - timedelta(days=2),
        )

    assert texts_of(agent) == ["Müşteri DST-1 talebine yanıt yazdı"]


def test_sla_breach_goes_in_app_to_the_team_when_unassigned(workspace, customer, agent, on_commit):
    banu = make_user("banu@anadolu.test", "Banu")
    Membership.objects.create(workspace=workspace, user=banu, role=Role.AGENT)
    team = Team.objects.create(workspace=workspace, name="Teknik")
    team.members.add(Membership.objects.get(workspace=workspace, user=banu))
    ticket = actions.create_ticket(
        workspace=workspace,
        customer=customer,
        subject="x",
        text="y",
        priority="P0",
        created_at=MONDAY_10,
    )
    actions.set_team(ticket=ticket, actor=None, team=team)

    with on_commit():
        raise_alerts(ist(2026, 11, 23, 11, 0))

    assert texts_of(banu) == ["DST-1: ilk yanıt süresi aşıldı"]
    assert texts_of(agent) == []


def test_sla_warning_goes_to_everybody_without_team_or_assignee(
    workspace, customer, admin, agent, owner, on_commit
):
    actions.create_ticket(
        workspace=workspace,
        customer=customer,
        subject="x",
        text="y",
        priority="P0",
        created_at=MONDAY_10,
    )

    with on_commit():
        raise_alerts(ist(2026, 11, 23, 10, 48))

    assert texts_of(agent) == ["DST-1: ilk yanıt süresinin %80'i doldu"]
    assert texts_of(admin) == ["DST-1: ilk yanıt süresinin %80'i doldu"]
    assert texts_of(owner) == []


def test_unread_count_is_per_person_and_workspace(ticket, agent, admin):
    notify(recipients=[agent, admin], ticket=ticket, kind=kinds.CUSTOMER_REPLIED)
    notify(recipients=[agent], ticket=ticket, kind=kinds.SLA_RESOLUTION_WARNING)
    Notification.objects.filter(recipient=admin).update(read_at=timezone.now())

    assert unread_count(ticket.workspace_id, agent.pk) == 2
    assert unread_count(ticket.workspace_id, admin.pk) == 0


def test_an_unknown_kind_still_says_which_ticket(ticket, agent):
    notify(recipients=[agent], ticket=ticket, kind="something_new")

    assert texts_of(agent) == ["DST-1"]
