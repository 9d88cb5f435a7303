"""The form's article suggestions and deflection records, through the SSS app's services."""

import time

import pytest
from django.test import Client

from destek.portal import spam

pytest.importorskip("destek.kb.deflection")

from destek.kb import services  # noqa: E402
from destek.kb.models import Article, FormSession, SuggestionOpen  # noqa: E402


@pytest.fixture
def article(workspace, admin) -> Article:
    item = Article(
        workspace=workspace,
        title="Ödeme sırasında kart hatası",
        body="Kartınızın 3D Secure onayını kontrol edin.",
        status="published",
    )
    return services.save_article(article=item, actor=admin)


def test_the_form_asks_for_suggestions_while_the_subject_is_typed(workspace):
    page = Client().get("/s/anadolu/yeni/").content.decode()
    assert 'hx-get="/s/anadolu/sss/oneriler/"' in page
    assert 'hx-include="[name=fs]"' in page


def test_a_suggestion_opened_and_then_the_form_sent_is_not_a_deflection(workspace, article):
    client = Client()
    page = client.get("/s/anadolu/yeni/").content.decode()
    fs = page.split('name="fs" value="', 1)[1].split('"', 1)[0]
    suggestions = client.get("/s/anadolu/sss/oneriler/", {"subject": "odeme", "fs": fs})
    assert "Ödeme sırasında kart hatası" in suggestions.content.decode()
    client.get(f"/s/anadolu/sss/{article.slug}/", {"fs": fs})
    assert SuggestionOpen.objects.filter(article=article).count() == 1
    data = {
        "name": "Deniz Aksoy",
        "email": "deniz@misafir.test",
        "subject": "Ödeme hatası",
        "description": "Yazıdaki adımlar işe yaramadı.",
        "started": spam.started_token(time.time() - 10),
        "fs": fs,
    }
    assert client.post("/s/anadolu/yeni/", data).status_code == 302
    assert FormSession.objects.get(key=fs).submitted_at is not None
