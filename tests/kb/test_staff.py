"""Staff SSS pages (/w/<slug>/sss/): who may read, edit and manage."""

from __future__ import annotations

import pytest

from destek.accounts.models import Workspace
from destek.kb.models import Article
from tests.conftest import client_for


def _url(workspace, rest: str = "") -> str:
    return f"/w/{workspace.slug}/sss/{rest}"


def _allow_agents(workspace) -> None:
    Workspace.objects.filter(pk=workspace.pk).update(agents_edit_kb=True)


ARTICLE_FORM = {
    "title": "Şifremi unuttum",
    "body": "**Giriş** sayfasında *Şifremi unuttum*'a tıklayın.",
    "title_en": "",
    "body_en": "",
    "category": "",
    "status": "published",
    "visibility": "public",
    "position": "0",
}


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 403), ("agent", 200), ("admin", 200), ("other_agent", 404)]
)
def test_staff_list_is_for_people_who_read_tickets(request, workspace, make_article, role, status):
    make_article("İç yazı", visibility="internal")
    response = client_for(request.getfixturevalue(role)).get(_url(workspace))

    assert response.status_code == status
    if status == 200:
        assert "İç yazı" in response.content.decode()


def test_staff_read_internal_and_draft_articles(agent_client, workspace, make_article):
    article = make_article(
        "Taslak iç yazı", "Ekip için **not**", status="draft", visibility="internal"
    )

    body = agent_client.get(_url(workspace, f"{article.pk}/")).content.decode()

    assert "Taslak iç yazı" in body and "<strong>not</strong>" in body


@pytest.mark.parametrize(
    ("role", "allowed", "status"),
    [
        ("owner", False, 403),
        ("owner", True, 403),
        ("agent", False, 403),
        ("agent", True, 200),
        ("admin", False, 200),
        ("other_agent", True, 404),
    ],
)
def test_editing_needs_an_admin_or_a_permitted_agent(
    request, workspace, make_article, role, allowed, status
):
    article = make_article("Düzenlenecek")
    if allowed:
        _allow_agents(workspace)
    client = client_for(request.getfixturevalue(role))

    for url in ("yeni/", f"{article.pk}/duzenle/", "konular/"):
        assert client.get(_url(workspace, url)).status_code == status, url


def test_agent_without_permission_cannot_post_an_article(agent_client, workspace):
    response = agent_client.post(_url(workspace, "yeni/"), ARTICLE_FORM)

    assert response.status_code == 403
    assert Article.objects.count() == 0


def test_permitted_agent_writes_an_article(agent_client, agent, workspace):
    _allow_agents(workspace)

    response = agent_client.post(_url(workspace, "yeni/"), ARTICLE_FORM)

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(workspace, f"{article.pk}/")
    assert (article.slug, article.created_by, article.updated_by) == (
        "sifremi-unuttum",
        agent,
        agent,
    )
    assert article.search_title == "sifremi unuttum\n"


def test_admin_edits_an_article_and_the_slug_stays(admin_client, workspace, make_article):
    article = make_article("Eski başlık")

    response = admin_client.post(
        _url(workspace, f"{article.pk}/duzenle/"), {**ARTICLE_FORM, "title": "Yeni başlık"}
    )

    article.refresh_from_db()
    assert response.status_code == 302
    assert (article.title, article.slug) == ("Yeni başlık", "eski-baslik")


def test_english_version_needs_both_title_and_text(admin_client, workspace):
    response = admin_client.post(_url(workspace, "yeni/"), {**ARTICLE_FORM, "title_en": "Title"})

    assert response.status_code == 400
    assert "İngilizce sürüm için başlık ve metnin ikisi de gerekir." in response.content.decode()


def test_another_workspace_article_cannot_be_edited(
    admin_client, workspace, other_workspace, make_article
):
    article = make_article("Başkasının", ws=other_workspace)

    assert admin_client.get(_url(workspace, f"{article.pk}/duzenle/")).status_code == 404
    assert admin_client.get(_url(workspace, f"{article.pk}/")).status_code == 404


def test_category_from_another_workspace_is_refused(admin_client, workspace, other_workspace):
    from destek.kb import services
    from destek.kb.models import KbCategory

    foreign = services.save_category(category=KbCategory(workspace=other_workspace, name="Yabancı"))

    response = admin_client.post(_url(workspace, "yeni/"), {**ARTICLE_FORM, "category": foreign.pk})

    assert response.status_code == 400
    assert Article.objects.count() == 0


def test_preview_renders_markdown_without_saving(admin_client, workspace):
    response = admin_client.post(
        _url(workspace, "onizleme/"), {"body": "# Başlık\n<img src=x onerror=alert(1)>"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Başlık</h1>" in body and "<img" not in body
    assert Article.objects.count() == 0


def test_preview_is_for_editors_only(owner_client, agent_client, workspace):
    assert owner_client.post(_url(workspace, "onizleme/"), {"body": "x"}).status_code == 403
    assert agent_client.post(_url(workspace, "onizleme/"), {"body": "x"}).status_code == 403


def test_admin_allows_agents_to_edit(admin_client, agent_client, workspace):
    assert agent_client.get(_url(workspace, "yeni/")).status_code == 403

    response = admin_client.post(_url(workspace, "ayarlar/"), {"agents_edit_kb": "on"})

    assert response.status_code == 302
    assert agent_client.get(_url(workspace, "yeni/")).status_code == 200


def test_only_admins_change_the_setting(owner_client, agent_client, workspace):
    for client in (owner_client, agent_client):
        assert client.post(_url(workspace, "ayarlar/"), {"agents_edit_kb": "on"}).status_code == 403
    workspace.refresh_from_db()
    assert workspace.agents_edit_kb is False


def test_sidebar_shows_the_new_article_button_to_permitted_agents(agent_client, workspace):
    assert "Yeni yazı" not in agent_client.get(_url(workspace)).content.decode()
    _allow_agents(workspace)
    assert "Yeni yazı" in agent_client.get(_url(workspace)).content.decode()


def test_admin_adds_a_category(admin_client, workspace):
    response = admin_client.post(
        _url(workspace, "konular/"),
        {
            "name": "Üyelik İşlemleri",
            "name_en": "Account",
            "description": "",
            "description_en": "",
            "position": "0",
        },
    )

    from destek.kb.models import KbCategory

    assert response.status_code == 302
    assert list(KbCategory.objects.values_list("name", "slug")) == [
        ("Üyelik İşlemleri", "uyelik-islemleri")
    ]


def test_editor_deletes_an_article(admin_client, workspace, make_article):
    article = make_article("Eskimiş yazı")

    response = admin_client.post(_url(workspace, f"{article.pk}/sil/"))

    assert response.status_code == 302 and response["Location"] == _url(workspace)
    assert Article.objects.count() == 0


def test_agent_without_permission_cannot_delete(agent_client, workspace, make_article):
    article = make_article("Kalacak yazı")

    assert agent_client.post(_url(workspace, f"{article.pk}/sil/")).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_staff_list_query_count_does_not_grow_with_articles(
    admin_client, workspace, kb_category, make_article
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(_url(workspace)).status_code == 200
        return len(captured)

    admin_client.get(_url(workspace))  # the session learns its workspace once, with a write
    make_article("Yazı 0", category=kb_category)
    few = count()
    for n in range(1, 10):
        make_article(f"Yazı {n}", category=kb_category, status="draft")

    assert count() == few


def test_staff_list_filters_by_status(agent_client, workspace, make_article):
    make_article("Yayındaki yazı")
    make_article("Taslak yazı", status="draft")

    body = agent_client.get(_url(workspace), {"status": "draft"}).content.decode()

    assert "Taslak yazı" in body and "Yayındaki yazı" not in body


def test_deleting_a_topic_keeps_its_articles(admin_client, workspace, kb_category, make_article):
    article = make_article("Konulu yazı", category=kb_category)

    response = admin_client.post(_url(workspace, f"konular/{kb_category.pk}/sil/"))

    article.refresh_from_db()
    assert response.status_code == 302
    assert article.category is None
