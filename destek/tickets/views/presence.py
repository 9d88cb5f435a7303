"""The ticket page's live strip: who else is here, who is typing, what arrived meanwhile."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from destek.accounts.permissions import Capability, workspace_view
from destek.tickets import presence
from destek.tickets.access import get_ticket_for
from destek.tickets.models import Message


@workspace_view(Capability.READ_TICKETS)
@require_POST
def ticket_presence(request: HttpRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request, number)
    others = presence.touch(ticket.pk, request.user, typing=request.POST.get("typing") == "1")
    seen = request.POST.get("seen", "")
    newer = []
    if seen.isdigit():
        newer = list(
            Message.objects.filter(ticket=ticket, pk__gt=int(seen))
            .exclude(author=request.user)
            .select_related("author", "customer")
            .order_by("pk")
        )
    context = {"ticket": ticket, "others": others, "newer": newer}
    return render(request, "tickets/_presence.html", context)
