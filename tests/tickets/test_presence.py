"""Collision detection between two sessions: who else is on the ticket, who is typing, and the
messages that arrived since the page was opened."""

from __future__ import annotations

import pytest

from destek.tickets import actions, presence

pytestmark = pytest.mark.django_db

URL = "/w/anadolu/t/1/presence/"


def test_the_second_agent_sees_the_first(agent_client, admin_client, ticket):
    assert "bakanlar" not in agent_client.post(URL, {"typing": "0"}).content.decode()
    page = admin_client.post(URL, {"typing": "0"}).content.decode()
    assert "Şu an bu talebe bakanlar:" in page
    assert "Ayşe Yılmaz" in page
    assert "data-collision-warning" not in page


def test_someone_typing_a_reply_is_a_warning(agent_client, admin_client, ticket):
    agent_client.post(URL, {"typing": "1"})
    page = admin_client.post(URL, {"typing": "0"}).content.decode()
    assert 'data-collision-warning="Ayşe Yılmaz şu anda bu talebe yanıt yazıyor."' in page


def test_a_reply_written_since_the_page_opened_is_a_warning(agent_client, admin, agent, ticket):
    seen = ticket.messages.get().pk
    actions.reply(ticket=ticket, actor=admin, text="Ben yanıtladım.")
    page = agent_client.post(URL, {"typing": "0", "seen": str(seen)}).content.decode()
    assert "Siz sayfayı açtıktan sonra 1 yeni mesaj geldi." in page


def test_my_own_reply_is_no_warning(agent_client, agent, ticket):
    seen = ticket.messages.get().pk
    actions.reply(ticket=ticket, actor=agent, text="Yanıtım.")
    page = agent_client.post(URL, {"typing": "0", "seen": str(seen)}).content.decode()
    assert "data-collision-warning" not in page


def test_a_viewer_drops_out_after_the_presence_window(ticket, agent, admin):
    presence.touch(ticket.pk, agent, typing=False, now=1000.0)
    assert [v.name for v in presence.touch(ticket.pk, admin, typing=False, now=1010.0)] == [
        "Ayşe Yılmaz"
    ]
    later = 1000.0 + presence.PRESENCE_SECONDS + 1
    assert presence.touch(ticket.pk, admin, typing=False, now=later) == []


def test_typing_expires_before_presence(ticket, agent, admin):
    presence.touch(ticket.pk, agent, typing=True, now=1000.0)
    viewers = presence.touch(ticket.pk, admin, typing=False, now=1000.0 + presence.TYPING_SECONDS)
    assert [(v.name, v.typing) for v in viewers] == [("Ayşe Yılmaz", False)]


def test_leaving_removes_the_viewer(ticket, agent, admin):
    presence.touch(ticket.pk, agent, typing=False, now=1000.0)
    presence.leave(ticket.pk, agent)
    assert presence.touch(ticket.pk, admin, typing=False, now=1001.0) == []


def test_the_owner_cannot_ask_who_is_on_a_ticket(owner_client, ticket):
    assert owner_client.post(URL).status_code == 403


def test_the_ticket_page_carries_the_presence_strip(agent_client, ticket):
    page = agent_client.get("/w/anadolu/t/1/").content.decode()
    assert 'id="presence-form"' in page
    assert 'hx-post="/w/anadolu/t/1/presence/"' in page
