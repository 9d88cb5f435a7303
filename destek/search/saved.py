"""Saved views: save the queue's current tab + filters + sort under a name; the sidebar lists
them with their counts (loaded after the page, so no page waits for the counting)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts.permissions import Capability, has_capability, workspace_view
from destek.search.models import MAX_VIEWS, SavedView
from destek.tickets.access import workspace_agents, workspace_categories
from destek.tickets.queries import QueueFilterForm, queue_tickets

# Only these parameters of the queue page make a view: never a page number or a stray value.
KEPT = ("queue", "status", "priority", "category", "assignee", "tag", "customer", "sort")


def _clean_query(raw: str) -> str:
    params = QueryDict(raw)
    kept = QueryDict(mutable=True)
    for name in KEPT:
        if params.get(name):
            kept[name] = params[name][:200]
    return kept.urlencode()[:500]


@workspace_view(Capability.READ_TICKETS)
def saved_views(request: HttpRequest) -> HttpResponse:
    """The sidebar's list of views with how many tickets each holds now."""
    workspace, user = request.workspace, request.user
    views = list(SavedView.objects.visible_to(workspace, user)[:MAX_VIEWS])
    agents, categories = workspace_agents(workspace), workspace_categories(workspace)
    rows = []
    for view in views:
        params = view.params()
        form = QueueFilterForm(params, agents=agents, categories=categories)
        count = queue_tickets(workspace, user, params.get("queue"), form.filters()).count()
        url = f"{reverse('ticket_queue', args=[workspace.slug])}?{view.query}"
        rows.append((view, url, count))
    return render(request, "search/_saved_views.html", {"rows": rows})


@workspace_view(Capability.READ_TICKETS)
@require_POST
def saved_view_save(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    name = request.POST.get("name", "").strip()[:60]
    query = _clean_query(request.POST.get("query", ""))
    target = f"{reverse('ticket_queue', args=[workspace.slug])}?{query}"
    if not name:
        messages.error(request, _("Görünüme bir ad verin."))
        return redirect(target)
    if SavedView.objects.visible_to(workspace, request.user).count() >= MAX_VIEWS:
        messages.error(
            request, _("En fazla %(count)d görünüm kaydedilebilir.") % {"count": MAX_VIEWS}
        )
        return redirect(target)
    # Shared views appear in everyone's sidebar: only those who run the desk may add them.
    shared = request.POST.get("shared") == "1" and has_capability(
        request.membership, Capability.MANAGE_DESK
    )
    SavedView.objects.create(
        workspace=workspace, owner=request.user, name=name, shared=shared, query=query
    )
    messages.success(request, _("“%(name)s” görünümü kaydedildi.") % {"name": name})
    return redirect(target)


@workspace_view(Capability.READ_TICKETS)
@require_POST
def saved_view_delete(request: HttpRequest, view_id: int) -> HttpResponse:
    view = get_object_or_404(
        SavedView.objects.visible_to(request.workspace, request.user), pk=view_id
    )
    mine = view.owner_id == request.user.pk
    if not mine and not has_capability(request.membership, Capability.MANAGE_DESK):
        messages.error(request, _("Bu görünümü yalnızca sahibi ya da bir yönetici silebilir."))
    else:
        view.delete()
        messages.success(request, _("“%(name)s” görünümü silindi.") % {"name": view.name})
    return redirect("ticket_queue", request.workspace.slug)
