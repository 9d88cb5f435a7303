"""SSS fixtures: a category and a helper that writes articles through the service."""

from __future__ import annotations

import pytest

from destek.kb import services
from destek.kb.models import Article, KbCategory


@pytest.fixture
def kb_category(workspace) -> KbCategory:
    return services.save_category(category=KbCategory(workspace=workspace, name="Ödeme ve sipariş"))


@pytest.fixture
def make_article(workspace, admin):
    def make(title: str, body: str = "Metin.", *, ws=None, **fields) -> Article:
        fields.setdefault("status", "published")
        article = Article(workspace=ws or workspace, title=title, body=body, **fields)
        return services.save_article(article=article, actor=admin)

    return make
