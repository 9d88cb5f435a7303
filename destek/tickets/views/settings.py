"""Desk settings (admins, DESIGN §6): the workspace's categories and canned replies — list, add,
edit, delete and order."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Max, Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from destek.accounts.permissions import Capability, workspace_view
from destek.tickets.models import CannedReply, Category
from destek.tickets.settings_forms import CannedReplySettingsForm, CategorySettingsForm


def _next_position(queryset: QuerySet) -> int:
    highest = queryset.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


@transaction.atomic
def _move(queryset: QuerySet, item: Model, direction: str) -> bool:
    """Swap ``item`` with its neighbour in the list's order; positions are renumbered 0..n-1."""
    items = list(queryset.select_for_update())
    index = next(i for i, row in enumerate(items) if row.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    for position, row in enumerate(items):
        row.position = position
    queryset.model.objects.bulk_update(items, ["position"])
    return True


def _categories(request: HttpRequest) -> QuerySet[Category]:
    return Category.objects.filter(workspace=request.workspace)


def _canned_replies(request: HttpRequest) -> QuerySet[CannedReply]:
    # Admins manage the shared replies; personal ones stay their owners' business.
    return CannedReply.objects.filter(workspace=request.workspace).shared()


@workspace_view(Capability.MANAGE_DESK)
def category_list(request: HttpRequest) -> HttpResponse:
    form = CategorySettingsForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        category = form.save(commit=False)
        category.workspace = request.workspace
        category.position = _next_position(_categories(request))
        category.save()
        messages.success(request, _("Kategori eklendi: %(name)s") % {"name": category.name})
        return redirect("category_list", request.workspace.slug)
    categories = _categories(request).select_related("team").annotate(ticket_count=Count("tickets"))
    context = {"categories": categories, "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "tickets/settings/category_list.html", context, status=status)


@workspace_view(Capability.MANAGE_DESK)
def category_edit(request: HttpRequest, category_id: int) -> HttpResponse:
    category = get_object_or_404(_categories(request), pk=category_id)
    form = CategorySettingsForm(
        request.POST or None, instance=category, workspace=request.workspace
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Kategori kaydedildi."))
        return redirect("category_list", request.workspace.slug)
    status = 400 if form.is_bound else 200
    context = {"category": category, "form": form}
    return render(request, "tickets/settings/category_edit.html", context, status=status)


@workspace_view(Capability.MANAGE_DESK)
def category_delete(request: HttpRequest, category_id: int) -> HttpResponse:
    """GET asks for confirmation (and says how many tickets lose their category); POST deletes."""
    category = get_object_or_404(_categories(request), pk=category_id)
    if request.method == "POST":
        used = category.tickets.count()
        name = category.name
        category.delete()
        if used:
            text = ngettext(
                "Kategori silindi: %(name)s. %(count)d talep artık kategorisiz.",
                "Kategori silindi: %(name)s. %(count)d talep artık kategorisiz.",
                used,
            ) % {"name": name, "count": used}
        else:
            text = _("Kategori silindi: %(name)s") % {"name": name}
        messages.success(request, text)
        return redirect("category_list", request.workspace.slug)
    context = {"category": category, "ticket_count": category.tickets.count()}
    return render(request, "tickets/settings/category_delete.html", context)


@workspace_view(Capability.MANAGE_DESK)
@require_POST
def category_move(request: HttpRequest, category_id: int) -> HttpResponse:
    category = get_object_or_404(_categories(request), pk=category_id)
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        return HttpResponseBadRequest()
    _move(_categories(request), category, direction)
    return redirect("category_list", request.workspace.slug)


@workspace_view(Capability.MANAGE_DESK)
def canned_list(request: HttpRequest) -> HttpResponse:
    form = CannedReplySettingsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        canned = form.save(commit=False)
        canned.workspace = request.workspace
        canned.created_by = request.user
        canned.position = _next_position(_canned_replies(request))
        canned.save()
        messages.success(request, _("Hazır yanıt eklendi: %(title)s") % {"title": canned.title})
        return redirect("canned_list", request.workspace.slug)
    context = {"canned_replies": _canned_replies(request), "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "tickets/settings/canned_list.html", context, status=status)


@workspace_view(Capability.MANAGE_DESK)
def canned_edit(request: HttpRequest, canned_id: int) -> HttpResponse:
    canned = get_object_or_404(_canned_replies(request), pk=canned_id)
    form = CannedReplySettingsForm(request.POST or None, instance=canned)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Hazır yanıt kaydedildi."))
        return redirect("canned_list", request.workspace.slug)
    status = 400 if form.is_bound else 200
    context = {"canned": canned, "form": form}
    return render(request, "tickets/settings/canned_edit.html", context, status=status)


@workspace_view(Capability.MANAGE_DESK)
@require_POST
def canned_delete(request: HttpRequest, canned_id: int) -> HttpResponse:
    canned = get_object_or_404(_canned_replies(request), pk=canned_id)
    title = canned.title
    canned.delete()
    messages.success(request, _("Hazır yanıt silindi: %(title)s") % {"title": title})
    return redirect("canned_list", request.workspace.slug)


@workspace_view(Capability.MANAGE_DESK)
@require_POST
def canned_move(request: HttpRequest, canned_id: int) -> HttpResponse:
    canned = get_object_or_404(_canned_replies(request), pk=canned_id)
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        return HttpResponseBadRequest()
    _move(_canned_replies(request), canned, direction)
    return redirect("canned_list", request.workspace.slug)
