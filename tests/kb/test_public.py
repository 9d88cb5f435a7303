"""The public SSS pages (/s/<slug>/sss/)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from destek.kb.models import Article, ArticleVote


def _url(workspace, rest: str = "") -> str:
    return f"/s/{workspace.slug}/sss/{rest}"


def test_home_lists_categories_with_public_articles_and_popular_ones(
    client, workspace, kb_category, make_article
):
    make_article("Kredi kartı ile ödeme", category=kb_category)
    make_article("Gizli iç yazı", category=kb_category, visibility="internal")
    make_article("Yazılmakta olan", status="draft")

    response = client.get(_url(workspace))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Ödeme ve sipariş" in body and "1 yazı" in body
    assert "Kredi kartı ile ödeme" in body
    assert "Gizli iç yazı" not in body and "Yazılmakta olan" not in body


def test_category_page_lists_only_its_public_articles(client, workspace, kb_category, make_article):
    make_article("Havale ile ödeme", category=kb_category)
    make_article("Kargo süresi")

    response = client.get(_url(workspace, f"konu/{kb_category.slug}/"))

    body = response.content.decode()
    assert "Havale ile ödeme" in body and "Kargo süresi" not in body


def test_article_page_renders_markdown_safely(client, workspace, make_article):
    article = make_article("Biçimli", "**Kalın** ve <script>alert(1)</script>")

    body = client.get(_url(workspace, f"{article.slug}/")).content.decode()

    assert "<strong>Kalın</strong>" in body
    assert "<script>alert(1)</script>" not in body
    assert "Bu yazı işinize yaradı mı?" in body


@pytest.mark.parametrize("fields", [{"status": "draft"}, {"visibility": "internal"}])
def test_drafts_and_internal_articles_are_404_publicly(client, workspace, make_article, fields):
    article = make_article("Görünmemeli", **fields)

    assert client.get(_url(workspace, f"{article.slug}/")).status_code == 404


def test_another_workspace_article_is_404(client, workspace, other_workspace, make_article):
    article = make_article("Başkasının yazısı", ws=other_workspace)

    assert client.get(_url(workspace, f"{article.slug}/")).status_code == 404
    assert client.get(_url(other_workspace, f"{article.slug}/")).status_code == 200


def test_unknown_workspace_is_404(client, db):
    assert client.get("/s/yok-boyle-bir-yer/sss/").status_code == 404


def test_english_visitor_reads_the_english_version(client, workspace, make_article):
    article = make_article("İade", "Türkçe metin", title_en="Returns", body_en="English text")
    client.cookies["django_language"] = "en"

    body = client.get(_url(workspace, f"{article.slug}/")).content.decode()

    assert "English text" in body and "Türkçe metin" not in body


def test_a_view_counts_once_per_session(client, workspace, make_article):
    article = make_article("Okunan yazı")

    client.get(_url(workspace, f"{article.slug}/"))
    client.get(_url(workspace, f"{article.slug}/"))
    Client().get(_url(workspace, f"{article.slug}/"))

    article.refresh_from_db()
    assert article.view_count == 2


def test_a_session_votes_once(client, workspace, make_article):
    article = make_article("Oylanan yazı")
    vote_url = _url(workspace, f"{article.slug}/oy/")

    first = client.post(vote_url, {"helpful": "yes"})
    client.post(vote_url, {"helpful": "no"})
    Client().post(vote_url, {"helpful": "no"})

    article.refresh_from_db()
    assert first.status_code == 302
    assert (article.helpful_yes, article.helpful_no, ArticleVote.objects.count()) == (1, 1, 2)
    page = client.get(_url(workspace, f"{article.slug}/")).content.decode()
    assert "Geri bildiriminiz için teşekkürler." in page


def test_htmx_vote_answers_with_the_thanks_partial(client, workspace, make_article):
    article = make_article("Oylanan yazı")

    response = client.post(
        _url(workspace, f"{article.slug}/oy/"), {"helpful": "no"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "Geri bildiriminiz için teşekkürler." in response.content.decode()
    assert Article.objects.get(pk=article.pk).helpful_no == 1


def test_voting_needs_post(client, workspace, make_article):
    article = make_article("Oylanan yazı")

    assert client.get(_url(workspace, f"{article.slug}/oy/")).status_code == 405


def test_cannot_vote_on_a_draft(client, workspace, make_article):
    article = make_article("Taslak", status="draft")

    assert (
        client.post(_url(workspace, f"{article.slug}/oy/"), {"helpful": "yes"}).status_code == 404
    )
    assert ArticleVote.objects.count() == 0


def test_search_page_finds_folded_words(client, workspace, make_article):
    make_article("Ödeme alınamıyor", "Kart hatası.")
    make_article("Kargo", "Takip.")

    body = client.get(_url(workspace, "ara/"), {"q": "ODEME"}).content.decode()

    assert "Ödeme alınamıyor" in body and ">Kargo<" not in body


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["", "ara/?q=odeme", "konu/{category}/", "{article}/"])
def test_public_page_query_count_does_not_grow_with_articles(
    workspace, kb_category, make_article, page
):
    first = make_article("Ödeme 0", category=kb_category)
    url = _url(workspace, page.format(category=kb_category.slug, article=first.slug))
    client = Client()
    client.get(url)  # the session exists from here on, as for a returning visitor
    few = _queries(client, url)

    for n in range(1, 12):
        make_article(f"Ödeme {n}", category=kb_category)
    many = _queries(client, url)

    assert few == many


def test_article_page_lists_other_public_articles_of_its_category(
    client, workspace, kb_category, make_article
):
    article = make_article("Kart ile ödeme", category=kb_category)
    make_article("Havale ile ödeme", category=kb_category)
    make_article("Kapıda ödeme taslağı", category=kb_category, status="draft")
    make_article("Kargo süresi")

    body = client.get(_url(workspace, f"{article.slug}/")).content.decode()

    related = body.split("Bu konudaki diğer yazılar")[1]
    assert "Havale ile ödeme" in related
    assert "taslağı" not in related and "Kargo süresi" not in related


def test_public_pages_speak_english_to_an_english_visitor(client, workspace, make_article):
    article = make_article("İade", "Metin")
    client.cookies["django_language"] = "en"

    home = client.get(_url(workspace)).content.decode()
    page = client.get(_url(workspace, f"{article.slug}/")).content.decode()

    assert "Frequently asked questions" in home
    assert "Was this article helpful?" in page


def test_a_vote_without_an_answer_is_refused(client, workspace, make_article):
    article = make_article("Oylanan yazı")

    response = client.post(_url(workspace, f"{article.slug}/oy/"), {"helpful": "belki"})

    assert response.status_code == 400
    assert ArticleVote.objects.count() == 0
