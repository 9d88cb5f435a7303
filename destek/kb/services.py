"""Changes to the knowledge base: saving articles, counting views and votes."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from destek.accounts.models import User
from destek.kb.models import Article, ArticleVote, KbCategory, Status, turkish_slug

# Articles a session has already been counted for; a reload is not a second reader.
VIEWED_SESSION_KEY = "kb_viewed"
VIEWED_REMEMBERED = 200


def unique_slug(queryset, text: str, *, exclude_pk: int | None = None) -> str:
    base = turkish_slug(text)
    taken = set(queryset.exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def save_article(*, article: Article, actor: User | None) -> Article:
    """Store a new or edited article: a slug from the title when it has none, the first
    publication date, and who changed it when."""
    now = timezone.now()
    siblings = Article.objects.for_workspace(article.workspace)
    if not article.slug:
        article.slug = unique_slug(siblings, article.title, exclude_pk=article.pk)
    if article.pk is None:
        article.created_by = actor
        article.created_at = now
        highest = siblings.aggregate(highest=Max("position"))["highest"]
        article.position = 0 if highest is None else highest + 1
    if article.status == Status.PUBLISHED and article.published_at is None:
        article.published_at = now
    article.updated_by = actor
    article.updated_at = now
    article.save()
    return article


def save_category(*, category: KbCategory) -> KbCategory:
    siblings = KbCategory.objects.for_workspace(category.workspace)
    if not category.slug:
        category.slug = unique_slug(siblings, category.name, exclude_pk=category.pk)
    if category.pk is None:
        highest = siblings.aggregate(highest=Max("position"))["highest"]
        category.position = 0 if highest is None else highest + 1
    category.save()
    return category


def count_view(*, article: Article, session) -> bool:
    """Add one reader to the article, once per visitor session."""
    viewed = list(session.get(VIEWED_SESSION_KEY, []))
    if article.pk in viewed:
        return False
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)
    session[VIEWED_SESSION_KEY] = [*viewed, article.pk][-VIEWED_REMEMBERED:]
    return True


def session_key_of(session) -> str:
    """The visitor's session id, creating the session for a first-time visitor."""
    if session.session_key is None:
        session.save()
    return session.session_key


def vote(*, article: Article, session_key: str, helpful: bool) -> bool:
    """Record "Bu yazı işinize yaradı mı?": one answer per session; False when already voted."""
    try:
        with transaction.atomic():
            ArticleVote.objects.create(article=article, session_key=session_key, helpful=helpful)
            counter = "helpful_yes" if helpful else "helpful_no"
            Article.objects.filter(pk=article.pk).update(**{counter: F(counter) + 1})
    except IntegrityError:
        return False
    return True


def has_voted(*, article: Article, session_key: str | None) -> bool:
    return bool(session_key) and article.votes.filter(session_key=session_key).exists()
