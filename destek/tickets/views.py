from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from destek.accounts.permissions import Capability, has_capability, workspace_view


@workspace_view(Capability.USE_WORKSPACE)
def workspace_home(request: HttpRequest) -> HttpResponse:
    if has_capability(request.membership, Capability.READ_TICKETS):
        return redirect("ticket_queue", request.workspace.slug)
    return redirect("dashboard", request.workspace.slug)


@workspace_view(Capability.READ_TICKETS)
def ticket_queue(request: HttpRequest) -> HttpResponse:
    return HttpResponse("TODO")


@workspace_view(Capability.WORK_TICKETS)
def ticket_create(request: HttpRequest) -> HttpResponse:
    return HttpResponse("TODO")


@workspace_view(Capability.READ_TICKETS)
def customer_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("TODO")


@workspace_view(Capability.VIEW_STATS)
def dashboard(request: HttpRequest) -> HttpResponse:
    return HttpResponse("TODO")
