"""Personal canned replies (each agent their own), what the picker offers, the reply preview."""

from __future__ import annotations

from destek.tickets.models import CannedReply
from tests.tickets.conftest import page_text, shown_messages


def test_an_agent_keeps_personal_replies_nobody_else_sees(
    agent_client, admin_client, workspace, agent, ticket
):
    agent_client.post(
        "/w/anadolu/canned/", {"title": "Benim selamım", "body": "Selam {{ customer.first_name }}"}
    )
    mine = CannedReply.objects.get(title="Benim selamım")
    assert (mine.owner, mine.created_by) == (agent, agent)

    agent_page = page_text(agent_client.get(f"/w/anadolu/t/{ticket.number}/"))
    admin_page = page_text(admin_client.get(f"/w/anadolu/t/{ticket.number}/"))
    assert "Benim selamım" in agent_page and "Benim selamım" not in admin_page
    assert "Benim selamım" not in page_text(admin_client.get("/w/anadolu/settings/canned-replies/"))
    url = f"/w/anadolu/t/{ticket.number}/canned/{mine.pk}/"
    assert admin_client.get(url, HTTP_HX_REQUEST="true").status_code == 404
    assert agent_client.get(url, HTTP_HX_REQUEST="true").content.decode() == "Selam Zeynep"


def test_agents_edit_and_delete_only_their_own(agent_client, admin, workspace, agent):
    theirs = CannedReply.objects.create(workspace=workspace, title="Y", body="y", owner=admin)
    shared = CannedReply.objects.filter(workspace=workspace, owner__isnull=True).first()
    mine = CannedReply.objects.create(workspace=workspace, title="B", body="b", owner=agent)

    for other in (theirs, shared):
        response = agent_client.get(f"/w/anadolu/canned/{other.pk}/", follow=True)
        assert response.redirect_chain == [("/w/anadolu/canned/", 302)]
        assert shown_messages(response) == [
            "Bu hazır yanıt sizin kişisel yanıtlarınız arasında yok."
        ]
        agent_client.post(f"/w/anadolu/canned/{other.pk}/delete/", follow=True)
    assert CannedReply.objects.filter(pk__in=[theirs.pk, shared.pk]).count() == 2
    agent_client.post(f"/w/anadolu/canned/{mine.pk}/", {"title": "B2", "body": "b2"})
    mine.refresh_from_db()
    assert (mine.title, mine.body) == ("B2", "b2")
    agent_client.post(f"/w/anadolu/canned/{mine.pk}/delete/")
    assert not CannedReply.objects.filter(pk=mine.pk).exists()


def test_an_unknown_variable_is_refused_with_a_clear_message(agent_client, admin_client):
    for client, url in (
        (agent_client, "/w/anadolu/canned/"),
        (admin_client, "/w/anadolu/settings/canned-replies/"),
    ):
        response = client.post(url, {"title": "X", "body": "Merhaba {{ customer.adi }}"})

        assert response.status_code == 400
        assert "Bilinmeyen değişken: {{ customer.adi }}." in page_text(response)
    assert not CannedReply.objects.filter(title="X").exists()


def test_the_picker_has_search_shortcut_and_preview(agent_client, ticket):
    page = page_text(agent_client.get(f"/w/anadolu/t/{ticket.number}/"))

    assert "data-canned-search" in page
    assert "<kbd>Ctrl+.</kbd>" in page
    assert "/static/destek/canned.js" in page
    assert f'hx-post="/w/anadolu/t/{ticket.number}/preview/"' in page


def test_preview_renders_markdown_sanitised(agent_client, ticket):
    response = agent_client.post(
        f"/w/anadolu/t/{ticket.number}/preview/",
        {"text": "**Merhaba** <script>alert(1)</script>"},
    )

    assert "<strong>Merhaba</strong>" in page_text(response)
    assert "<script>" not in page_text(response)


def test_the_owner_gets_no_canned_pages(owner_client):
    assert owner_client.get("/w/anadolu/canned/").status_code == 403
