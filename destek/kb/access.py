"""How KB pages find their workspace and articles; part of the permission layer's promise that
the public sees only published public articles and staff only their own workspace's."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation

from destek.accounts.models import Workspace
from destek.accounts.permissions import public_view
from destek.kb.models import Article, ArticleQuerySet


def kb_public_view(view: Callable) -> Callable:
    """A public SSS page of one workspace: ``view(request, workspace, ...)``; 404 for an unknown
    workspace. The workspace's language applies unless the visitor picked one."""

    @wraps(view)
    def wrapper(
        request: HttpRequest, workspace_slug: str, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        workspace = get_object_or_404(Workspace, slug=workspace_slug)
        timezone.activate(ZoneInfo(workspace.time_zone))
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            translation.activate(workspace.language)
            request.LANGUAGE_CODE = workspace.language
        return view(request, workspace, *args, **kwargs)

    return public_view(wrapper)


def public_articles(workspace: Workspace) -> ArticleQuerySet:
    return Article.objects.for_workspace(workspace).public()


def public_article(workspace: Workspace, slug: str) -> Article:
    return get_object_or_404(public_articles(workspace).select_related("category"), slug=slug)


def staff_articles(request: HttpRequest) -> ArticleQuerySet:
    """Every article of the current workspace, drafts and internal ones included."""
    return Article.objects.for_workspace(request.workspace)


def staff_article(request: HttpRequest, article_id: int) -> Article:
    return get_object_or_404(staff_articles(request).select_related("category"), pk=article_id)


def language_of(request: HttpRequest) -> str:
    return "en" if translation.get_language() == "en" else "tr"
