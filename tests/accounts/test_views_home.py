import pytest

from destek.accounts.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_home_sends_anonymous_visitors_to_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_home_goes_straight_into_the_only_workspace(agent_client):
    response = agent_client.get("/")

    assert response["Location"] == "/w/anadolu/"


def test_home_goes_to_the_workspace_used_last(agent_client, agent, other_workspace):
    Membership.objects.create(workspace=other_workspace, user=agent, role=Role.ADMIN)
    agent_client.get("/w/baska/members/")

    response = agent_client.get("/")

    assert response["Location"] == "/w/baska/"


def test_home_shows_the_chooser_when_there_are_several_and_none_was_used(
    agent_client, agent, other_workspace
):
    Membership.objects.create(workspace=other_workspace, user=agent, role=Role.AGENT)

    response = agent_client.get("/")

    assert response["Location"] == "/workspaces/"


def test_home_ignores_a_last_workspace_the_user_was_removed_from(
    agent_client, agent, other_workspace
):
    membership = Membership.objects.create(workspace=other_workspace, user=agent, role=Role.ADMIN)
    agent_client.get("/w/baska/members/")
    membership.is_active = False
    membership.save()

    response = agent_client.get("/")

    assert response["Location"] == "/w/anadolu/"


def test_chooser_lists_active_workspaces_with_the_role(agent_client, agent, other_workspace):
    Membership.objects.create(workspace=other_workspace, user=agent, role=Role.ADMIN)

    response = agent_client.get("/workspaces/")

    assert response.status_code == 200
    rows = [(m.workspace.slug, m.get_role_display()) for m in response.context["memberships"]]
    assert rows == [("anadolu", "Temsilci"), ("baska", "Yönetici")]
    body = response.content.decode()
    assert 'href="/w/anadolu/"' in body and 'href="/w/baska/"' in body


def test_chooser_leaves_out_workspaces_the_user_was_removed_from(agent_client, agent, workspace):
    Membership.objects.filter(user=agent).update(is_active=False)

    response = agent_client.get("/workspaces/")

    assert list(response.context["memberships"]) == []
    assert "Henüz bir çalışma alanına üye değilsiniz." in response.content.decode()
