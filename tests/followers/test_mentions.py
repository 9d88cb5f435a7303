"""@mentions in notes and followers of a ticket, told in the app (and a mention by mail)."""

from __future__ import annotations

import pytest
from django.core import mail

from destek.followers.mentions import mentioned
from destek.followers.models import Follower
from destek.notifications.models import Notification
from destek.tickets import actions

pytestmark = pytest.mark.django_db(transaction=True)


def _notices(user) -> list[tuple[str, str]]:
    return [
        (n.kind, n.params["code"])
        for n in Notification.objects.filter(recipient=user).order_by("pk")
    ]


def test_mentions_match_the_email_name_first_name_or_whole_name_folded(agent, admin):
    agents = [admin, agent]
    assert mentioned("@ayse bakar mısın?", agents) == [agent]
    assert mentioned("@Ayşe bakar mısın?", agents) == [agent]
    assert mentioned("@AyşeYılmaz", agents) == [agent]
    assert mentioned("@yonetici ve @ayse", agents) == [admin, agent]
    assert mentioned("ayse@anadolu.test adresine yaz", agents) == []
    assert mentioned("@kimse", agents) == []


def test_a_mention_in_a_note_notifies_in_the_app_and_by_mail(ticket, agent, admin):
    mail.outbox.clear()
    actions.add_note(ticket=ticket, actor=admin, text="@ayse müşteriyi arar mısın?")
    assert _notices(agent) == [("mentioned", "DST-1")]
    assert _notices(admin) == []
    assert [m.to for m in mail.outbox] == [["ayse@anadolu.test"]]
    assert mail.outbox[0].subject == "[DST-1] yonetici bir notta sizden bahsetti"
    assert "müşteriyi arar" not in mail.outbox[0].body
    assert Follower.objects.filter(ticket=ticket, user=agent).exists()


def test_mentioning_yourself_tells_nobody(ticket, agent):
    actions.add_note(ticket=ticket, actor=agent, text="@ayse not: yarın ara")
    assert _notices(agent) == []


def test_followers_hear_about_replies_and_status_but_not_their_own(
    ticket, agent, admin, agent_client
):
    agent_client.post("/w/anadolu/t/1/follow/", {"follow": "1"})
    actions.add_customer_message(ticket=ticket, customer=ticket.customer, text="Ek bilgi")
    actions.reply(ticket=ticket, actor=admin, text="Bakıyoruz.")
    actions.reply(ticket=ticket, actor=agent, text="Ben de baktım.")
    actions.change_status(ticket=ticket, actor=admin, status="resolved")
    assert _notices(agent) == [("followed_update", "DST-1")] * 3


def test_unfollow_stops_the_notices(ticket, agent, admin, agent_client):
    agent_client.post("/w/anadolu/t/1/follow/", {"follow": "1"})
    agent_client.post("/w/anadolu/t/1/follow/", {"follow": "0"})
    actions.reply(ticket=ticket, actor=admin, text="Bakıyoruz.")
    assert _notices(agent) == []


def test_the_ticket_page_shows_the_followers(ticket, agent, agent_client):
    agent_client.post("/w/anadolu/t/1/follow/", {"follow": "1"})
    page = agent_client.get("/w/anadolu/t/1/").content.decode()
    assert "Takip edenler: Ayşe Yılmaz" in page
    assert "Takibi bırak" in page


def test_followers_are_read_once_per_batch_and_a_new_follower_is_seen_at_once(ticket, agent, admin):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from destek.followers.receivers import follow, followers_of, read_followers
    from destek.lib.memo import batch_scope

    follow(ticket, agent)
    with batch_scope(), transaction.atomic():
        read_followers([ticket.pk, ticket.pk + 1000])
        with CaptureQueriesContext(connection) as queries:
            assert followers_of(ticket.pk) == {agent.pk}
            assert followers_of(ticket.pk + 1000) == frozenset()
        assert len(queries) == 0
        follow(ticket, admin)  # e.g. a rule's note mentions the admin within the batch
        assert followers_of(ticket.pk) == {agent.pk, admin.pk}
    # Outside a batch every call reads.
    with CaptureQueriesContext(connection) as queries:
        followers_of(ticket.pk)
        followers_of(ticket.pk)
    assert len(queries) == 2
