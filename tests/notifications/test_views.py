"""The notifications page: only one's own, open marks read, all read, the sidebar count."""

from __future__ import annotations

import pytest

from destek.notifications import kinds
from destek.notifications.models import Notification
from destek.notifications.services import notify

URL = "/w/anadolu/notifications/"


@pytest.fixture
def mine(ticket, agent, admin) -> list[Notification]:
    notify(recipients=[admin], ticket=ticket, kind=kinds.SLA_RESOLUTION_WARNING)
    return notify(recipients=[agent], ticket=ticket, kind=kinds.CUSTOMER_REPLIED)


def test_the_list_shows_only_my_notifications(agent_client, mine):
    response = agent_client.get(URL)

    assert [n.text for n in response.context["page_obj"]] == ["Müşteri DST-1 talebine yanıt yazdı"]
    assert "çözüm süresinin" not in response.content.decode()


def test_the_sidebar_counts_unread(agent_client, mine):
    page = agent_client.get("/w/anadolu/tickets/").content.decode()

    assert 'Bildirimler <span class="count" aria-label="1 okunmamış">1</span>' in page


def test_opening_marks_read_and_goes_to_the_ticket(agent_client, mine):
    [notification] = mine

    response = agent_client.post(f"{URL}{notification.pk}/open/")

    assert response["Location"] == "/w/anadolu/t/1/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_not_found(agent_client, admin_client, mine):
    [notification] = mine

    assert admin_client.post(f"{URL}{notification.pk}/open/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(agent_client, ticket, agent, mine):
    notify(recipients=[agent], ticket=ticket, kind=kinds.SLA_RESOLUTION_BREACH)

    agent_client.post(f"{URL}read-all/")

    assert Notification.objects.filter(recipient=agent, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(read_at__isnull=True).count() == 1  # the admin's


def test_unread_filter(agent_client, ticket, agent, mine):
    Notification.objects.filter(pk=mine[0].pk).update(read_at=mine[0].created_at)
    notify(recipients=[agent], ticket=ticket, kind=kinds.SLA_RESOLUTION_BREACH)

    response = agent_client.get(URL + "?unread=1")

    assert [n.text for n in response.context["page_obj"]] == ["DST-1: çözüm süresi aşıldı"]


def test_owner_and_other_workspace_have_no_notifications_page(
    owner_client, other_agent_client, mine
):
    assert owner_client.get(URL).status_code == 403
    assert other_agent_client.get(URL).status_code == 404
