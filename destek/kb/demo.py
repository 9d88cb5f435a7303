"""Seed the demo workspace's SSS (called by destek.tickets.demo.build_demo)."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

from django.utils import timezone

from destek.accounts.models import User, Workspace
from destek.kb import deflection, services
from destek.kb.demo_content import ARTICLES, CATEGORIES
from destek.kb.models import Article, KbCategory

# The texts are wrapped to fit the source file; Markdown here keeps line breaks, so a line that
# continues a sentence is joined back (lists, tables and blank lines stay as they are).
_CONTINUATION = re.compile(r"(?<=\S)\n(?=[^\n\-\d|*])")


def _unwrap(text: str) -> str:
    return _CONTINUATION.sub(" ", text)


def seed_kb(*, workspace: Workspace, author: User | None, now: datetime | None = None) -> None:
    """Demo categories and articles with plausible reading and voting history."""
    now = now or timezone.now()
    categories = [
        services.save_category(
            category=KbCategory(workspace=workspace, name=name, name_en=name_en, description=text)
        )
        for name, name_en, text in CATEGORIES
    ]
    for age, row in enumerate(ARTICLES):
        category, title, body, title_en, body_en, status, visibility, views, yes, no = row
        article = services.save_article(
            article=Article(
                workspace=workspace,
                category=categories[category],
                title=title,
                body=_unwrap(body),
                title_en=title_en,
                body_en=_unwrap(body_en),
                status=status,
                visibility=visibility,
            ),
            actor=author,
        )
        written = now - timedelta(days=50 - 3 * age)
        Article.objects.filter(pk=article.pk).update(
            view_count=views,
            helpful_yes=yes,
            helpful_no=no,
            created_at=written,
            updated_at=written + timedelta(days=age % 4),
            published_at=written if status == "published" else None,
        )
    _deflection_history(workspace, now, random.Random(7))  # noqa: S311 (sample data)


def _deflection_history(workspace: Workspace, now: datetime, rng: random.Random) -> None:
    """Forty portal forms over the last thirty days in which a suggestion was opened; about
    three in five were left unsent, the report's deflections."""
    articles = list(Article.objects.for_workspace(workspace).public().popular()[:6])
    for n in range(40):
        key = f"demo-form-{n}"
        started = now - timedelta(days=rng.uniform(0.1, 30))
        for article in rng.sample(articles, rng.choice((1, 1, 2))):
            deflection.record_suggestion_opened(
                workspace=workspace, form_session_id=key, article=article, now=started
            )
        if rng.random() < 0.4:
            deflection.record_form_submitted(
                workspace=workspace, form_session_id=key, now=started + timedelta(minutes=4)
            )
