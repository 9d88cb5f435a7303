"""The public SSS of a workspace (/s/<slug>/sss/): home, category, article, search, votes and
the suggestion list for the portal's new-ticket form. Only published public articles."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from destek.accounts.models import Workspace
from destek.kb import search, services
from destek.kb.access import kb_public_view, language_of, public_article, public_articles
from destek.kb.deflection import record_suggestion_opened, valid_form_session_id
from destek.kb.models import Article, KbCategory, Status, Visibility
from destek.lib.markup import markdown_to_html

POPULAR_COUNT = 6
RELATED_COUNT = 5
SUGGEST_MIN_CHARS = 3


def _categories(workspace: Workspace):
    public = Q(articles__status=Status.PUBLISHED, articles__visibility=Visibility.PUBLIC)
    return (
        KbCategory.objects.for_workspace(workspace)
        .annotate(article_count=Count("articles", filter=public))
        .filter(article_count__gt=0)
    )


@kb_public_view
def home(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    context = {
        "workspace": workspace,
        "language": language_of(request),
        "categories": _categories(workspace),
        "popular": public_articles(workspace).select_related("category").popular()[:POPULAR_COUNT],
    }
    return render(request, "kb/public/home.html", context)


@kb_public_view
def category(request: HttpRequest, workspace: Workspace, category_slug: str) -> HttpResponse:
    kb_category = get_object_or_404(KbCategory.objects.for_workspace(workspace), slug=category_slug)
    context = {
        "workspace": workspace,
        "language": language_of(request),
        "category": kb_category,
        "articles": public_articles(workspace).filter(category=kb_category),
    }
    return render(request, "kb/public/category.html", context)


@kb_public_view
def article(request: HttpRequest, workspace: Workspace, article_slug: str) -> HttpResponse:
    item = public_article(workspace, article_slug)
    form_session_id = request.GET.get("fs", "")
    if valid_form_session_id(form_session_id):
        record_suggestion_opened(workspace=workspace, form_session_id=form_session_id, article=item)
    services.count_view(article=item, session=request.session)
    language = language_of(request)
    context = {
        "workspace": workspace,
        "language": language,
        "article": item,
        "title": item.title_for(language),
        "body_html": markdown_to_html(item.body_for(language)),
        "voted": services.has_voted(article=item, session_key=request.session.session_key),
        "related": _related(workspace, item),
    }
    return render(request, "kb/public/article.html", context)


def _related(workspace: Workspace, item: Article) -> list[Article]:
    if item.category_id is None:
        return []
    others = public_articles(workspace).filter(category_id=item.category_id).exclude(pk=item.pk)
    return list(others.popular()[:RELATED_COUNT])


@kb_public_view
@require_POST
def vote(request: HttpRequest, workspace: Workspace, article_slug: str) -> HttpResponse:
    item = public_article(workspace, article_slug)
    answer = request.POST.get("helpful")
    if answer not in ("yes", "no"):
        return HttpResponseBadRequest()
    helpful = answer == "yes"
    session_key = services.session_key_of(request.session)
    counted = services.vote(article=item, session_key=session_key, helpful=helpful)
    if request.htmx:
        context = {"workspace": workspace, "article": item, "voted": True, "counted": counted}
        return render(request, "kb/public/_vote.html", context)
    return redirect("kb_article", workspace.slug, item.slug)


@kb_public_view
def search_page(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    context = {
        "workspace": workspace,
        "language": language_of(request),
        "query": query,
        "results": search.public_search(workspace, query) if query else [],
    }
    return render(request, "kb/public/search.html", context)


@kb_public_view
def suggestions(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """htmx partial: articles matching the subject typed into the portal's form; the links carry
    the form-session id so that opening one is recorded (deflection)."""
    text = (request.GET.get("subject") or request.GET.get("q") or "").strip()[:200]
    form_session_id = request.GET.get("fs", "")
    language = language_of(request)
    articles = (
        search.suggest(workspace, text, language=language) if len(text) >= SUGGEST_MIN_CHARS else []
    )
    context = {
        "workspace": workspace,
        "articles": articles,
        "form_session_id": form_session_id if valid_form_session_id(form_session_id) else "",
    }
    return render(request, "kb/public/_suggestions.html", context)
