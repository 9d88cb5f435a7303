"""Snoozing a ticket: pending until a chosen time."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts.permissions import Capability, workspace_view
from destek.tickets import actions
from destek.tickets.access import get_ticket_for
from destek.tickets.snooze import snooze_until


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def ticket_snooze(request: HttpRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request, number)
    until = snooze_until(request.POST.get("until", ""), custom=request.POST.get("at", ""))
    try:
        if until is None:
            raise actions.ActionError(_("Bir erteleme zamanı seçin."))
        actions.snooze(ticket=ticket, actor=request.user, until=until)
    except actions.ActionError as exc:
        messages.error(request, str(exc))
    else:
        when = formats.date_format(timezone.localtime(until), "j F Y H:i")
        messages.success(request, _("%(when)s tarihine kadar ertelendi.") % {"when": when})
    return redirect("ticket_detail", request.workspace.slug, ticket.number)
