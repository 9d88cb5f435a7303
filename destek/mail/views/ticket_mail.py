"""The email side of the ticket page: a received message's raw ``.eml`` (evidence) and resending
a reply whose delivery failed."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts.permissions import Capability, workspace_view
from destek.mail import outbox
from destek.mail.models import OutboundStatus
from destek.mail.views.access import get_emailed_message_for, get_outbound_for
from destek.mail.views.raw import eml_response
from destek.tickets.actions import ActionError


@workspace_view(Capability.READ_TICKETS)
def message_eml(request: HttpRequest, number: int, message_id: int) -> HttpResponse:
    message = get_emailed_message_for(request, number, message_id)
    return eml_response(message.envelope.inbound)


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def outbound_resend(request: HttpRequest, number: int, outbound_id: int) -> HttpResponse:
    outbound = get_outbound_for(request, number, outbound_id)
    try:
        outbound = outbox.resend(outbound, actor=request.user)
    except ActionError as error:
        messages.info(request, str(error))
    else:
        if outbound.status == OutboundStatus.QUEUED:
            messages.success(request, _("E-posta yeniden gönderim sırasına alındı."))
        else:
            messages.info(request, _("Bu e-posta zaten gönderiliyor."))
    url = reverse("ticket_detail", args=[request.workspace.slug, number])
    anchor = f"#m{outbound.ticket_message_id}" if outbound.ticket_message_id else ""
    return redirect(url + anchor)
