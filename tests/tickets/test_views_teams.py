"""Team pages (admins), the ticket's team control, the queue's team filter, "Müsait"."""

from __future__ import annotations

import pytest

from destek.accounts.models import Membership
from destek.tickets import actions
from destek.tickets.models import AssignmentMode, Category, EventKind, Team
from tests.tickets.conftest import page_text, shown_messages


@pytest.fixture
def team(workspace, agent) -> Team:
    team = Team.objects.create(workspace=workspace, name="Teknik")
    team.members.add(Membership.objects.get(workspace=workspace, user=agent))
    return team


def membership_of(workspace, user) -> Membership:
    return Membership.objects.get(workspace=workspace, user=user)


def test_admin_adds_a_team_with_members_and_mode(admin_client, workspace, agent, admin):
    agent_membership = membership_of(workspace, agent)

    response = admin_client.post(
        f"/w/{workspace.slug}/settings/teams/",
        {"name": " Satış ", "assignment_mode": "least_open", "members": [agent_membership.pk]},
    )

    assert response.status_code == 302
    team = Team.objects.get(workspace=workspace)
    assert (team.name, team.assignment_mode) == ("Satış", AssignmentMode.LEAST_OPEN)
    assert list(team.members.all()) == [agent_membership]


def test_the_owner_cannot_be_a_team_member(admin_client, workspace, owner):
    owner_membership = membership_of(workspace, owner)

    response = admin_client.post(
        f"/w/{workspace.slug}/settings/teams/",
        {"name": "Satış", "assignment_mode": "manual", "members": [owner_membership.pk]},
    )

    assert response.status_code == 400
    assert not Team.objects.exists()


def test_team_names_are_unique_in_a_workspace(admin_client, workspace, team):
    response = admin_client.post(
        f"/w/{workspace.slug}/settings/teams/", {"name": "teknik", "assignment_mode": "manual"}
    )

    assert response.status_code == 400
    assert "Bu adla bir ekip zaten var." in page_text(response)


def test_team_list_shows_members_and_open_tickets(admin_client, workspace, team, ticket, agent):
    actions.set_team(ticket=ticket, actor=agent, team=team)

    response = admin_client.get(f"/w/{workspace.slug}/settings/teams/")

    team_row = next(t for t in response.context["teams"] if t.pk == team.pk)
    assert (team_row.member_count, team_row.open_count) == (1, 1)


def test_admin_edits_and_deletes_a_team(admin_client, workspace, team, ticket, agent):
    actions.set_team(ticket=ticket, actor=agent, team=team)
    base = f"/w/{workspace.slug}/settings/teams/{team.pk}/"

    admin_client.post(base, {"name": "Destek", "assignment_mode": "round_robin", "members": []})
    team.refresh_from_db()
    assert (team.name, team.assignment_mode, team.members.count()) == ("Destek", "round_robin", 0)

    confirm = admin_client.get(base + "delete/")
    assert "1 açık talep var" in page_text(confirm)
    admin_client.post(base + "delete/")
    ticket.refresh_from_db()
    assert (Team.objects.count(), ticket.team_id) == (0, None)


def test_admin_sets_a_members_cap_and_availability(admin_client, workspace, team, agent):
    member = membership_of(workspace, agent)
    url = f"/w/{workspace.slug}/settings/teams/{team.pk}/members/{member.pk}/"

    saved = admin_client.post(url, {"m-max_open_tickets": "5"}, follow=True)
    member.refresh_from_db()
    assert (member.is_available, member.max_open_tickets) == (False, 5)
    assert shown_messages(saved) == ["Ayşe Yılmaz için ayarlar kaydedildi."]

    response = admin_client.post(
        url, {"m-is_available": "on", "m-max_open_tickets": "0"}, follow=True
    )
    member.refresh_from_db()
    assert (member.is_available, member.max_open_tickets) == (False, 5)
    assert shown_messages(response) == ["Sınır en az 1 olmalı; sınırsız için boş bırakın."]


def test_team_pages_are_for_admins_only(agent_client, owner_client, workspace, team):
    for client in (agent_client, owner_client):
        assert client.get(f"/w/{workspace.slug}/settings/teams/").status_code == 403
        assert client.get(f"/w/{workspace.slug}/settings/teams/{team.pk}/").status_code == 403


def test_another_workspaces_team_is_not_found(admin_client, other_workspace):
    foreign = Team.objects.create(workspace=other_workspace, name="Teknik")

    assert admin_client.get(f"/w/anadolu/settings/teams/{foreign.pk}/").status_code == 404


def test_category_edit_routes_to_a_team(admin_client, workspace, team):
    category = Category.objects.create(workspace=workspace, name="Kurulum")

    admin_client.post(
        f"/w/{workspace.slug}/settings/categories/{category.pk}/",
        {"name": "Kurulum", "default_priority": "", "team": team.pk, "is_public": "on"},
    )

    category.refresh_from_db()
    assert category.team == team


def test_agent_changes_the_team_on_the_ticket_page(agent_client, workspace, team, ticket):
    page = agent_client.get(f"/w/{workspace.slug}/t/{ticket.number}/")
    assert 'action="/w/anadolu/t/1/team/"' in page_text(page)

    agent_client.post(f"/w/{workspace.slug}/t/{ticket.number}/team/", {"team": team.pk})

    ticket.refresh_from_db()
    assert ticket.team == team
    assert ticket.events.filter(kind=EventKind.TEAM).get().new_value == "Teknik"


def test_queue_filters_by_team(agent_client, workspace, team, make_ticket, agent):
    routed = make_ticket(subject="Kurulum sorunu")
    actions.set_team(ticket=routed, actor=agent, team=team)
    make_ticket(subject="Fatura sorusu")
    url = f"/w/{workspace.slug}/tickets/?queue=open"

    in_team = agent_client.get(url + f"&team={team.pk}")
    without = agent_client.get(url + "&team=none")

    assert [t.subject for t in in_team.context["page_obj"]] == ["Kurulum sorunu"]
    assert [t.subject for t in without.context["page_obj"]] == ["Fatura sorusu"]


def test_agent_switches_their_own_availability(agent_client, workspace, agent):
    url = f"/w/{workspace.slug}/availability/"

    response = agent_client.post(url, {"available": "0", "next": "/w/anadolu/tickets/"})

    assert response["Location"] == "/w/anadolu/tickets/"
    assert membership_of(workspace, agent).is_available is False
    agent_client.post(url, {"available": "1", "next": "https://evil.test/"})
    assert membership_of(workspace, agent).is_available is True


def test_the_sidebar_shows_the_availability_switch(agent_client, owner_client, workspace):
    assert "● Müsait" in page_text(agent_client.get(f"/w/{workspace.slug}/tickets/"))
    assert "Müsait" not in page_text(owner_client.get(f"/w/{workspace.slug}/dashboard/"))
