"""Turkish-aware search over knowledge-base articles (DESIGN §7).

The query is folded with :mod:`destek.lib.turkish` exactly like the stored ``search_title`` and
``search_body`` columns, so "ODEME", "ödeme" and "odeme" are the same word and a LIKE finds it
on SQLite and PostgreSQL alike. Candidates match at least one word; ranking happens here:
articles with all words before those with some, then title hits before body hits.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from destek.accounts.models import Workspace
from destek.kb.models import Article, ArticleQuerySet
from destek.lib.turkish import folded_words

# Words that say nothing about the topic (already folded); dropping them keeps "nasil iade
# ederim" from matching every "nasıl …" article.
_STOP_WORDS_TR = (
    "acaba ama bana ben beni bir biz bu da de daha defa diye en gibi hala hem hep her icin ile "
    "ise ki mi mu misin miyim musunuz nasil ne neden nerede o sen siz su ve veya ya yine"
)
_STOP_WORDS_EN = "a an and are can do does for how i is it my of on or the to what when why you"
STOP_WORDS = frozenset(f"{_STOP_WORDS_TR} {_STOP_WORDS_EN}".split())  # noqa: SIM905
CANDIDATE_LIMIT = 200
MAX_WORDS = 8


def query_words(text: str) -> list[str]:
    """The distinct folded words worth searching for, in the order typed."""
    seen: dict[str, None] = {}
    for word in folded_words(text):
        if len(word) >= 2 and word not in STOP_WORDS:
            seen.setdefault(word, None)
    return list(seen)[:MAX_WORDS]


@dataclass(frozen=True)
class Score:
    words_matched: int  # distinct query words found anywhere: all words beat some
    title_words: int  # of those, found in a title
    body_hits: int  # occurrences in the body

    def key(self) -> tuple[int, int, int]:
        return (self.words_matched, self.title_words, self.body_hits)


def score(search_title: str, search_body: str, words: list[str]) -> Score:
    in_title = [w for w in words if w in search_title]
    in_body = [w for w in words if w in search_body]
    return Score(
        words_matched=len(set(in_title) | set(in_body)),
        title_words=len(in_title),
        body_hits=sum(search_body.count(w) for w in in_body),
    )


def search(articles: ArticleQuerySet, text: str, *, limit: int = 20) -> list[Article]:
    """Articles of ``articles`` matching ``text``, best first (ties: more viewed first)."""
    words = query_words(text)
    if not words:
        return []
    matches = Q()
    for word in words:
        matches |= Q(search_title__contains=word) | Q(search_body__contains=word)
    # Rank on the folded columns alone, then load only the articles that will be shown.
    candidates = articles.filter(matches).popular()[:CANDIDATE_LIMIT]
    rows = candidates.values_list("pk", "search_title", "search_body")
    # sorted() is stable: among equal scores the popular order from the database stays.
    ranked = sorted(rows, key=lambda row: score(row[1], row[2], words).key(), reverse=True)
    best = [row[0] for row in ranked[:limit]]
    by_pk = articles.model.objects.select_related("category").in_bulk(best)
    return [by_pk[pk] for pk in best]


def public_search(workspace: Workspace, text: str, *, limit: int = 20) -> list[Article]:
    return search(Article.objects.for_workspace(workspace).public(), text, limit=limit)


def suggest(workspace: Workspace, text: str, *, language: str, limit: int = 5) -> list[Article]:
    """Published public articles for a subject a customer is typing into the portal's form.

    ``language`` ("tr" or "en") is the visitor's language: each article gets ``display_title``
    in it (Turkish when the article has no English version).
    """
    articles = public_search(workspace, text, limit=limit)
    for article in articles:
        article.display_title = article.title_for(language)
    return articles
