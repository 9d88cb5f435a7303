"""Knowledge-base articles (staff: every article of the workspace; editors: create, change,
delete) and the public search of a workspace's published public articles, without a token."""

from datetime import datetime
from typing import Literal

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from destek.accounts.models import Workspace
from destek.accounts.permissions import Capability
from destek.api.core import idempotent, operation
from destek.api.problems import Problem
from destek.api.schemas import CleanSchema, ProblemOut, StrictIn
from destek.kb.access import staff_articles
from destek.kb.models import Article, KbCategory, turkish_slug
from destek.kb.search import public_search, search
from destek.kb.services import save_article, unique_slug

router = Router(tags=["knowledge base"])
READ, EDIT = Capability.READ_TICKETS, Capability.EDIT_KB


class ArticleOut(Schema):
    id: int
    slug: str
    title: str
    body: str
    title_en: str
    body_en: str
    status: str
    visibility: str
    category: int | None = Field(None, alias="category_id")
    view_count: int
    helpful_yes: int
    helpful_no: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None


class PublicArticleOut(Schema):
    slug: str
    title: str
    body: str
    title_en: str
    body_en: str
    category: str | None

    @staticmethod
    def resolve_category(obj) -> str | None:
        return obj.category.name if obj.category_id else None


class ArticleIn(StrictIn):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=200_000)
    title_en: str = Field("", max_length=200)
    body_en: str = Field("", max_length=200_000)
    status: Literal["draft", "published"] = "draft"
    visibility: Literal["public", "internal"] = "public"
    category: int | None = None


class KbCategoryOut(Schema):
    id: int
    name: str
    slug: str


class SearchQuery(CleanSchema):
    q: str = Field("", max_length=200, description="words to look for; empty finds nothing")
    limit: int = Field(10, ge=1, le=50)


def _article_for(request: HttpRequest, article_id: int) -> Article:
    return get_object_or_404(staff_articles(request), pk=article_id)


def _save(request: HttpRequest, article: Article, payload: ArticleIn) -> Article:
    data = payload.model_dump()
    category_id = data.pop("category")
    if (
        category_id is not None
        and not KbCategory.objects.filter(workspace=request.workspace, pk=category_id).exists()
    ):
        raise Problem(
            422,
            "invalid-reference",
            "No such category in this workspace.",
            errors=[{"field": "body.category", "message": "no such category in this workspace"}],
        )
    for field, value in data.items():
        setattr(article, field, value)
    article.category_id = category_id
    if not article.slug:
        # A title may be longer than a slug can be: cut it before the numbering is added.
        siblings = Article.objects.for_workspace(request.workspace)
        article.slug = unique_slug(siblings, turkish_slug(article.title)[:90].strip("-"))
    try:
        with transaction.atomic():
            return save_article(article=article, actor=request.user)
    except IntegrityError as exc:
        raise Problem(409, "article-exists", "An article with this address exists.") from exc


class ArticleQuery(CleanSchema):
    q: str = Field("", max_length=200, description="words to look for")


@operation(router, "GET", "/kb/articles", READ, response={200: list[ArticleOut]})
def list_articles(request: HttpRequest, query: Query[ArticleQuery]):
    """Every article of the workspace (drafts and internal ones too); ``q`` searches."""
    articles = staff_articles(request)
    if query.q:
        return search(articles, query.q, limit=50)
    return articles.order_by("position", "id")


@operation(router, "GET", "/kb/articles/{article_id}", READ, response={200: ArticleOut})
def get_article(request: HttpRequest, article_id: int):
    return _article_for(request, article_id)


@operation(router, "POST", "/kb/articles", EDIT, response={201: ArticleOut})
@idempotent
def create_article(request: HttpRequest, payload: ArticleIn):
    article = _save(request, Article(workspace=request.workspace), payload)
    return Status(201, ArticleOut.from_orm(article))


@operation(router, "PUT", "/kb/articles/{article_id}", EDIT, response={200: ArticleOut})
def update_article(request: HttpRequest, article_id: int, payload: ArticleIn):
    return _save(request, _article_for(request, article_id), payload)


@operation(router, "DELETE", "/kb/articles/{article_id}", EDIT, response={204: None})
def delete_article(request: HttpRequest, article_id: int):
    _article_for(request, article_id).delete()
    return Status(204, None)


@operation(router, "GET", "/kb/categories", READ, response={200: list[KbCategoryOut]})
def list_kb_categories(request: HttpRequest):
    return KbCategory.objects.for_workspace(request.workspace)


@router.get(
    "/public/{workspace_slug}/kb/search",
    response={200: list[PublicArticleOut], 404: ProblemOut, 422: ProblemOut},
    auth=None,
    openapi_extra={"x-destek-capability": "public"},
)
def public_kb_search(request: HttpRequest, workspace_slug: str, query: Query[SearchQuery]):
    """The workspace's published public articles matching ``q`` — no token needed (a shop's
    help widget)."""
    workspace = (
        Workspace.objects.filter(slug=workspace_slug).first()
        if "\x00" not in workspace_slug
        else None
    )
    if workspace is None:
        raise Problem(404, "not-found", "No such workspace.")
    return public_search(workspace, query.q, limit=query.limit)
