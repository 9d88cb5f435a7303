"""Saved views: personal or shared, listed in the sidebar with their counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from destek.accounts.models import Membership, Role
from destek.accounts.settings_cache import forget_all
from destek.search.models import SavedView
from destek.tickets import actions
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_agent(workspace):
    user = make_user("can@anadolu.test", "Can Öz")
    Membership.objects.create(workspace=workspace, user=user, role=Role.AGENT)
    return user


def _save(client, name: str, query: str, shared: bool = False):
    data = {"name": name, "query": query}
    if shared:
        data["shared"] = "1"
    return client.post("/w/anadolu/views/save/", data)


def _sidebar(client) -> str:
    return client.get("/w/anadolu/views/").content.decode()


def test_a_personal_view_is_saved_with_only_the_queue_parameters(agent_client, agent):
    response = _save(agent_client, "Acil ödemeler", "queue=open&priority=P0&page=3&x=1")
    assert response["Location"] == "/w/anadolu/tickets/?queue=open&priority=P0"
    view = SavedView.objects.get()
    assert (view.name, view.owner, view.shared, view.query) == (
        "Acil ödemeler",
        agent,
        False,
        "queue=open&priority=P0",
    )


def test_views_are_personal_unless_shared(agent_client, admin_client, second_agent):
    _save(agent_client, "Benim görünümüm", "queue=mine")
    _save(admin_client, "Ekibin görünümü", "queue=unassigned", shared=True)
    other = client_for(second_agent)
    assert "Benim görünümüm" in _sidebar(agent_client)
    assert "Ekibin görünümü" in _sidebar(agent_client)
    assert "Benim görünümüm" not in _sidebar(other)
    assert "Ekibin görünümü" in _sidebar(other)


def test_an_agent_cannot_share_a_view(agent_client):
    _save(agent_client, "Paylaşmak istedim", "queue=open", shared=True)
    assert SavedView.objects.get().shared is False


def test_the_sidebar_counts_the_tickets_of_each_view(agent_client, workspace, customer, agent):
    for index in range(3):
        ticket = actions.create_ticket(
            workspace=workspace, customer=customer, subject=f"T{index}", text="x"
        )
        if index:
            actions.set_priority(ticket=ticket, actor=agent, priority="P0")
    _save(agent_client, "Acil", "queue=open&priority=P0")
    _save(agent_client, "Açık", "queue=open")
    page = _sidebar(agent_client)
    assert 'href="/w/anadolu/tickets/?queue=open&amp;priority=P0" class="saved-view">Acil' in page
    assert 'Acil <span class="count">2</span>' in page
    assert 'Açık <span class="count">3</span>' in page


def test_the_sidebar_query_count_does_not_grow_with_tickets(agent_client, workspace, customer):
    _save(agent_client, "Açık", "queue=open")

    def count() -> int:
        forget_all()  # both counts include the settings, read once per process
        with CaptureQueriesContext(connection) as queries:
            agent_client.get("/w/anadolu/views/")
        return len(queries)

    before = count()
    for index in range(5):
        actions.create_ticket(workspace=workspace, customer=customer, subject=f"T{index}", text="x")
    assert count() == before


def test_only_the_owner_or_an_admin_deletes_a_view(agent_client, admin_client, second_agent):
    _save(admin_client, "Ekibin", "queue=open", shared=True)
    view = SavedView.objects.get()
    client_for(second_agent).post(f"/w/anadolu/views/{view.pk}/delete/")
    assert SavedView.objects.count() == 1
    _save(agent_client, "Benim", "queue=mine")
    mine = SavedView.objects.get(name="Benim")
    assert client_for(second_agent).post(f"/w/anadolu/views/{mine.pk}/delete/").status_code == 404
    agent_client.post(f"/w/anadolu/views/{mine.pk}/delete/")
    admin_client.post(f"/w/anadolu/views/{view.pk}/delete/")
    assert SavedView.objects.count() == 0


def test_the_owner_has_no_saved_views(owner_client):
    assert owner_client.get("/w/anadolu/views/").status_code == 403


def test_the_queue_page_offers_to_save_the_view(agent_client):
    page = agent_client.get("/w/anadolu/tickets/?queue=mine").content.decode()
    assert 'action="/w/anadolu/views/save/"' in page
    assert 'name="query" value="queue=mine"' in page
    assert 'hx-get="/w/anadolu/views/"' in page
