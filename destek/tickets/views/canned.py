"""Each agent's personal canned replies (only they see them) and the reply preview."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts.permissions import Capability, workspace_view
from destek.lib.markup import markdown_to_html
from destek.tickets.access import get_ticket_for
from destek.tickets.models import CannedReply
from destek.tickets.settings_forms import CannedReplySettingsForm


def _own(request: HttpRequest) -> QuerySet[CannedReply]:
    return CannedReply.objects.filter(workspace=request.workspace, owner=request.user)


def _not_yours(request: HttpRequest) -> HttpResponse:
    # Someone else's personal reply (or a shared one) is not found here; back to the list
    # rather than an error page, since the link usually came from a colleague.
    messages.error(request, _("Bu hazır yanıt sizin kişisel yanıtlarınız arasında yok."))
    return redirect("my_canned_list", request.workspace.slug)


@workspace_view(Capability.WORK_TICKETS)
def my_canned_list(request: HttpRequest) -> HttpResponse:
    form = CannedReplySettingsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        canned = form.save(commit=False)
        canned.workspace = request.workspace
        canned.owner = canned.created_by = request.user
        highest = _own(request).aggregate(highest=Max("position"))["highest"]
        canned.position = 0 if highest is None else highest + 1
        canned.save()
        messages.success(request, _("Hazır yanıt eklendi: %(title)s") % {"title": canned.title})
        return redirect("my_canned_list", request.workspace.slug)
    context = {"canned_replies": _own(request), "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "tickets/canned/mine.html", context, status=status)


@workspace_view(Capability.WORK_TICKETS)
def my_canned_edit(request: HttpRequest, own_canned_id: int) -> HttpResponse:
    canned = _own(request).filter(pk=own_canned_id).first()
    if canned is None:
        return _not_yours(request)
    form = CannedReplySettingsForm(request.POST or None, instance=canned)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Hazır yanıt kaydedildi."))
        return redirect("my_canned_list", request.workspace.slug)
    status = 400 if form.is_bound else 200
    context = {"canned": canned, "form": form}
    return render(request, "tickets/canned/mine_edit.html", context, status=status)


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def my_canned_delete(request: HttpRequest, own_canned_id: int) -> HttpResponse:
    canned = _own(request).filter(pk=own_canned_id).first()
    if canned is None:
        return _not_yours(request)
    title = canned.title
    canned.delete()
    messages.success(request, _("Hazır yanıt silindi: %(title)s") % {"title": title})
    return redirect("my_canned_list", request.workspace.slug)


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def reply_preview(request: HttpRequest, number: int) -> HttpResponse:
    """The reply as the customer will see it (Markdown rendered and sanitised), for htmx."""
    get_ticket_for(request, number)  # the ticket must be this workspace's
    text = request.POST.get("text", "")
    context = {"html": markdown_to_html(text) if text.strip() else ""}
    return render(request, "tickets/canned/_preview.html", context)
