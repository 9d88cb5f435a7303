"""The search page: one box, filters, highlighted results."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from destek.accounts.permissions import Capability, workspace_view
from destek.mail.models import Mailbox
from destek.search.forms import SearchForm
from destek.search.query import jump_url, search
from destek.tickets.access import workspace_agents, workspace_categories


@workspace_view(Capability.READ_TICKETS)
def search_page(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    form = SearchForm(
        request.GET or None,
        agents=workspace_agents(workspace),
        categories=workspace_categories(workspace),
        mailboxes=list(Mailbox.objects.for_workspace(workspace).order_by("address")),
    )
    text = form.query()
    before = request.GET.get("before", "")
    if text and not before and not form.is_filtered():
        target = jump_url(workspace, text)
        if target is not None:
            return redirect(target)
    results = None
    if text or form.is_filtered():
        results = search(
            workspace,
            text,
            form.tickets(workspace),
            filtered=form.is_filtered(),
            before=int(before) if before.isdigit() else None,
        )
    return render(request, "search/results.html", {"form": form, "q": text, "results": results})
