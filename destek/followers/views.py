"""Follow or stop following a ticket."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from destek.accounts.permissions import Capability, workspace_view
from destek.followers.models import Follower
from destek.followers.receivers import follow
from destek.tickets.access import get_ticket_for


@workspace_view(Capability.READ_TICKETS)
@require_POST
def ticket_follow(request: HttpRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request, number)
    if request.POST.get("follow") == "1":
        follow(ticket, request.user)
    else:
        Follower.objects.filter(ticket=ticket, user=request.user).delete()
    return redirect("ticket_detail", request.workspace.slug, ticket.number)
