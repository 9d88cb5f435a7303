"""The quarantine (DESIGN §5): inbound mail that could not become a ticket, with its error, the
raw original, a retry and "create ticket anyway". Nothing is dropped silently."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts.permissions import Capability, workspace_view
from destek.mail import ingest
from destek.mail.models import InboundEmail, InboundStatus
from destek.mail.views.access import get_inbound_for
from destek.mail.views.raw import eml_response
from destek.tickets.actions import ActionError

PAGE_SIZE = 50


def _back(request: HttpRequest, inbound: InboundEmail) -> HttpResponse:
    url = reverse("quarantine", args=[request.workspace.slug])
    return redirect(url + ("?status=ignored" if inbound.status == InboundStatus.IGNORED else ""))


@workspace_view(Capability.MANAGE_DESK)
def quarantine(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status")
    if status != InboundStatus.IGNORED:
        status = InboundStatus.QUARANTINED
    rows = (
        InboundEmail.objects.open_mail()
        .filter(workspace=request.workspace, status=status)
        .select_related("mailbox")
        .order_by("-received_at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "query": f"status={status}&"}
    return render(request, "mail/quarantine.html", context)


@workspace_view(Capability.MANAGE_DESK)
def inbound_raw(request: HttpRequest, inbound_id: int) -> HttpResponse:
    return eml_response(get_inbound_for(request, inbound_id))


@workspace_view(Capability.MANAGE_DESK)
@require_POST
def inbound_retry(request: HttpRequest, inbound_id: int) -> HttpResponse:
    inbound = ingest.process(get_inbound_for(request, inbound_id))
    if inbound.status == InboundStatus.PROCESSED:
        messages.success(request, _("E-posta işlendi ve talebe eklendi."))
    elif inbound.status == InboundStatus.IGNORED:
        messages.info(request, _("E-posta işlendi; talep gerektirmediği için yok sayıldı."))
    else:
        messages.error(request, _("E-posta yine işlenemedi: %(error)s") % {"error": inbound.error})
    return _back(request, inbound)


@workspace_view(Capability.MANAGE_DESK)
@require_POST
def inbound_force(request: HttpRequest, inbound_id: int) -> HttpResponse:
    """“Create ticket anyway”: the admin vouches for a mail the pipeline refused."""
    inbound = get_inbound_for(request, inbound_id)
    try:
        ticket = ingest.force_ticket(inbound, actor=request.user)
    except ActionError as error:
        messages.error(request, _("Talep oluşturulamadı: %(error)s") % {"error": error})
        return _back(request, inbound)
    messages.success(request, _("%(code)s talebi oluşturuldu.") % {"code": ticket.code})
    return redirect("ticket_detail", request.workspace.slug, ticket.number)
