"""Staff SSS pages (/w/<slug>/sss/): the list every agent reads (internal articles included),
editing with a live preview for admins and permitted agents, and the reply-box link picker."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts.permissions import Capability, has_capability, workspace_view
from destek.kb import search, services
from destek.kb.access import language_of, staff_article, staff_articles
from destek.kb.forms import ArticleForm, KbCategoryForm, KbSettingsForm
from destek.kb.models import Article, KbCategory, Status
from destek.lib.markup import markdown_to_html

LINK_RESULTS = 8


@workspace_view(Capability.READ_TICKETS)
def article_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    status = request.GET.get("status", "")
    articles = staff_articles(request).select_related("category")
    if status in Status.values:
        articles = articles.filter(status=status)
    context = {
        "query": query,
        "status": status,
        "statuses": Status.choices,
        "articles": search.search(articles, query, limit=100) if query else articles,
        "can_edit": has_capability(request.membership, Capability.EDIT_KB),
        "can_manage": has_capability(request.membership, Capability.MANAGE_DESK),
    }
    return render(request, "kb/staff/article_list.html", context)


@workspace_view(Capability.READ_TICKETS)
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = staff_article(request, article_id)
    context = {
        "article": article,
        "body_html": markdown_to_html(article.body),
        "body_en_html": markdown_to_html(article.body_en) if article.has_english() else "",
        "can_edit": has_capability(request.membership, Capability.EDIT_KB),
    }
    return render(request, "kb/staff/article_detail.html", context)


def _edit(request: HttpRequest, article: Article) -> HttpResponse:
    form = ArticleForm(request.POST or None, instance=article, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        saved = services.save_article(article=form.save(commit=False), actor=request.user)
        messages.success(request, _("Yazı kaydedildi."))
        return redirect("kb_staff_article", request.workspace.slug, saved.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "kb/staff/article_edit.html", {"form": form, "article": article}, status=status
    )


@workspace_view(Capability.EDIT_KB)
def article_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, Article(workspace=request.workspace))


@workspace_view(Capability.EDIT_KB)
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    return _edit(request, staff_article(request, article_id))


@workspace_view(Capability.EDIT_KB)
@require_POST
def article_delete(request: HttpRequest, article_id: int) -> HttpResponse:
    article = staff_article(request, article_id)
    article.delete()
    messages.success(request, _("Yazı silindi: %(title)s") % {"title": article.title})
    return redirect("kb_staff_list", request.workspace.slug)


@workspace_view(Capability.EDIT_KB)
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """htmx: the Markdown of the edit form as the reader will see it."""
    html = markdown_to_html(request.POST.get("body", "")[:100_000])
    return render(request, "kb/staff/_preview.html", {"body_html": html})


@workspace_view(Capability.READ_TICKETS)
def link_search(request: HttpRequest) -> HttpResponse:
    """htmx: published articles for the reply box; each inserts a link to its public page."""
    query = request.GET.get("q", "").strip()[:200]
    articles = staff_articles(request).public()
    results = search.search(articles, query, limit=LINK_RESULTS) if query else []
    return render(request, "kb/staff/_link_results.html", {"results": results, "query": query})


@workspace_view(Capability.READ_TICKETS)
def link_text(request: HttpRequest, article_id: int) -> HttpResponse:
    """The Markdown link the reply box inserts: the article's public address, absolute, in the
    workspace's language."""
    article = get_object_or_404(staff_articles(request).public(), pk=article_id)
    url = request.build_absolute_uri(
        reverse("kb_article", args=[request.workspace.slug, article.slug])
    )
    title = article.title_for(language_of(request)).replace("[", "(").replace("]", ")")
    return HttpResponse(f"[{title}]({url})", content_type="text/plain; charset=utf-8")


@workspace_view(Capability.MANAGE_DESK)
def kb_settings(request: HttpRequest) -> HttpResponse:
    form = KbSettingsForm(request.POST or None, instance=request.workspace)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("SSS ayarları kaydedildi."))
        return redirect("kb_staff_list", request.workspace.slug)
    return render(request, "kb/staff/settings.html", {"form": form})


@workspace_view(Capability.EDIT_KB)
def category_list(request: HttpRequest) -> HttpResponse:
    form = KbCategoryForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        category = form.save(commit=False)
        category.workspace = request.workspace
        services.save_category(category=category)
        messages.success(request, _("Konu eklendi: %(name)s") % {"name": category.name})
        return redirect("kb_category_list", request.workspace.slug)
    categories = KbCategory.objects.for_workspace(request.workspace)
    status = 400 if form.is_bound else 200
    context = {"categories": categories, "form": form}
    return render(request, "kb/staff/category_list.html", context, status=status)


@workspace_view(Capability.EDIT_KB)
def category_edit(request: HttpRequest, kb_category_id: int) -> HttpResponse:
    category = get_object_or_404(
        KbCategory.objects.for_workspace(request.workspace), pk=kb_category_id
    )
    form = KbCategoryForm(request.POST or None, instance=category, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        services.save_category(category=form.save(commit=False))
        messages.success(request, _("Konu kaydedildi."))
        return redirect("kb_category_list", request.workspace.slug)
    status = 400 if form.is_bound else 200
    context = {"category": category, "form": form}
    return render(request, "kb/staff/category_edit.html", context, status=status)


@workspace_view(Capability.EDIT_KB)
@require_POST
def category_delete(request: HttpRequest, kb_category_id: int) -> HttpResponse:
    """Remove a topic; its articles stay, without a topic."""
    category = get_object_or_404(
        KbCategory.objects.for_workspace(request.workspace), pk=kb_category_id
    )
    category.delete()
    messages.success(request, _("Konu silindi: %(name)s") % {"name": category.name})
    return redirect("kb_category_list", request.workspace.slug)
