"""The reply box's SSS link picker (staff.link_search / staff.link_text)."""

from __future__ import annotations


def _url(workspace, rest: str) -> str:
    return f"/w/{workspace.slug}/sss/{rest}"


def test_ticket_page_offers_the_picker(agent_client, workspace, ticket):
    body = agent_client.get(f"/w/{workspace.slug}/t/{ticket.number}/").content.decode()

    assert "SSS yazısı bağlantısı ekle" in body
    assert f'hx-get="{_url(workspace, "bagla/")}"' in body


def test_picker_finds_public_published_articles_only(agent_client, workspace, make_article):
    public = make_article("Ödeme alınamıyor")
    make_article("Ödeme iç notu", visibility="internal")
    make_article("Ödeme taslağı", status="draft")

    body = agent_client.get(_url(workspace, "bagla/"), {"q": "odeme"}).content.decode()

    assert "Ödeme alınamıyor" in body and _url(workspace, f"bagla/{public.pk}/") in body
    assert "iç notu" not in body and "taslağı" not in body


def test_link_text_is_a_markdown_link_to_the_public_page(agent_client, workspace, make_article):
    article = make_article("Ödeme [kart] sorunları")

    response = agent_client.get(_url(workspace, f"bagla/{article.pk}/"))

    assert response.content.decode() == (
        f"[Ödeme (kart) sorunları](http://testserver/s/{workspace.slug}/sss/{article.slug}/)"
    )


def test_no_link_to_an_internal_article(agent_client, workspace, make_article):
    article = make_article("İç", visibility="internal")

    assert agent_client.get(_url(workspace, f"bagla/{article.pk}/")).status_code == 404


def test_owner_cannot_use_the_picker(owner_client, workspace, make_article):
    article = make_article("Ödeme")

    assert owner_client.get(_url(workspace, "bagla/"), {"q": "odeme"}).status_code == 403
    assert owner_client.get(_url(workspace, f"bagla/{article.pk}/")).status_code == 403
