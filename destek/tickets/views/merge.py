"""Merging a ticket into another and splitting a message out into a new ticket."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts.permissions import Capability, workspace_view
from destek.tickets import actions
from destek.tickets.access import get_ticket_for
from destek.tickets.models import Message

_NUMBER = re.compile(r"^\s*#?(?:([A-Za-z]{1,10})-?)?(\d{1,9})\s*$")


def _target_number(request: HttpRequest, text: str) -> int | None:
    """The ticket number in "DST-12", "dst12", "#12" or "12" (this workspace's prefix only)."""
    match = _NUMBER.match(text)
    if match is None:
        return None
    prefix = match.group(1)
    if prefix and prefix.upper() != request.workspace.prefix.upper():
        return None
    return int(match.group(2))


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def ticket_merge(request: HttpRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request, number)
    target = _target_number(request, request.POST.get("into", ""))
    try:
        if target is None:
            raise Http404
        into = get_ticket_for(request, target)
    except Http404:
        messages.error(request, _("Birleştirilecek talep bulunamadı."))
        return redirect("ticket_detail", request.workspace.slug, ticket.number)
    try:
        actions.merge(ticket=ticket, into=into, actor=request.user)
    except actions.ActionError as exc:
        messages.error(request, str(exc))
        return redirect("ticket_detail", request.workspace.slug, ticket.number)
    messages.success(
        request,
        _("%(code)s, %(into)s ile birleştirildi.") % {"code": ticket.code, "into": into.code},
    )
    return redirect("ticket_detail", request.workspace.slug, into.number)


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def message_split(request: HttpRequest, number: int, message_id: int) -> HttpResponse:
    ticket = get_ticket_for(request, number)
    message = get_object_or_404(Message, ticket=ticket, pk=message_id)
    try:
        new = actions.split(message=message, actor=request.user)
    except actions.ActionError as exc:
        messages.error(request, str(exc))
        return redirect("ticket_detail", request.workspace.slug, ticket.number)
    messages.success(request, _("Mesaj yeni talebe taşındı: %(code)s") % {"code": new.code})
    return redirect("ticket_detail", request.workspace.slug, new.number)
