"""The dashboard: numbers only. The owner sees this page, so nothing here may name a customer,
a subject or a message (DESIGN §3) — only counts leave ``tickets.stats``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from destek.accounts.permissions import Capability, has_capability, workspace_view
from destek.tickets.stats import agent_numbers, desk_numbers


@workspace_view(Capability.VIEW_STATS)
def dashboard(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    mine = None
    if has_capability(request.membership, Capability.WORK_TICKETS):
        mine = agent_numbers(workspace, request.user)
    return render(
        request, "tickets/dashboard.html", {"desk": desk_numbers(workspace), "mine": mine}
    )
