"""The SSS report (admins): how often suggestions answered a question before a ticket existed,
and which articles readers found useful."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from destek.accounts.models import Workspace
from destek.kb import deflection
from destek.kb.models import Article


@dataclass(frozen=True)
class ArticleRow:
    article: Article
    opened_as_suggestion: int
    deflected: int


@dataclass(frozen=True)
class KbReport:
    summary: deflection.DeflectionSummary
    articles: list[ArticleRow]


def build(workspace: Workspace, *, since: datetime, until: datetime, now: datetime) -> KbReport:
    """Deflection over forms started in [since, until); votes and views are all-time counters."""
    per_article = deflection.deflections_by_article(workspace, since=since, until=until, now=now)
    articles = Article.objects.for_workspace(workspace).published().popular()
    rows = [
        ArticleRow(article, *per_article.get(article.pk, (0, 0)))
        for article in articles.select_related("category")
    ]
    rows.sort(key=lambda row: (row.deflected, row.opened_as_suggestion), reverse=True)
    return KbReport(
        summary=deflection.summary(workspace, since=since, until=until, now=now), articles=rows
    )
