"""Knowledge-base articles over the API, and the public search without a token."""

from __future__ import annotations

from destek.kb.models import Article
from tests.api.conftest import ApiClient


def test_an_admin_writes_an_article_and_the_public_finds_it_once_published(admin_api, workspace):
    draft = admin_api.post(
        "kb/articles",
        json={"title": "Kargo ne zaman gelir?", "body": "Siparişler 3 iş gününde kargoda."},
    )
    pk = draft.json()["id"]
    hidden = ApiClient(None).get("public/anadolu/kb/search?q=kargo")
    published = admin_api.put(
        f"kb/articles/{pk}",
        json={"title": "Kargo ne zaman gelir?", "body": "3 iş günü.", "status": "published"},
    )
    found = ApiClient(None).get("public/anadolu/kb/search?q=kargo")

    assert (draft.status_code, draft.json()["slug"], draft.json()["status"]) == (
        201,
        "kargo-ne-zaman-gelir",
        "draft",
    )
    assert hidden.json() == []
    assert published.json()["published_at"] is not None
    assert found.status_code == 200
    assert found.json() == [
        {
            "slug": "kargo-ne-zaman-gelir",
            "title": "Kargo ne zaman gelir?",
            "body": "3 iş günü.",
            "title_en": "",
            "body_en": "",
            "category": None,
        }
    ]


def test_internal_articles_stay_out_of_the_public_search(admin_api):
    admin_api.post(
        "kb/articles",
        json={
            "title": "Kargo iç süreç",
            "body": "Depo şifresi",
            "status": "published",
            "visibility": "internal",
        },
    )

    assert ApiClient(None).get("public/anadolu/kb/search?q=kargo").json() == []
    assert ApiClient(None).get("public/yok/kb/search?q=kargo").status_code == 404


def test_agents_read_articles_but_edit_only_where_allowed(agent_api, admin_api, workspace):
    pk = admin_api.post("kb/articles", json={"title": "İade", "body": "14 gün"}).json()["id"]

    assert agent_api.get(f"kb/articles/{pk}").json()["title"] == "İade"
    refused = agent_api.put(f"kb/articles/{pk}", json={"title": "X", "body": "Y"})
    workspace.agents_edit_kb = True
    workspace.save()
    allowed = agent_api.put(f"kb/articles/{pk}", json={"title": "İade süresi", "body": "14 gün"})

    assert refused.status_code == 403
    assert allowed.json()["title"] == "İade süresi"
    assert admin_api.delete(f"kb/articles/{pk}").status_code == 204
    assert not Article.objects.filter(pk=pk).exists()
