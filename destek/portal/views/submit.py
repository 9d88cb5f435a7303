"""The new-ticket form (also shown inside the embeddable frame) and its confirmation page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from destek.accounts.models import Workspace
from destek.portal import kb_link, limits, spam, submit
from destek.portal.access import portal_view
from destek.portal.files import size_limit_text
from destek.portal.ticket_form import NewTicketForm
from destek.tickets.models import Ticket

# The confirmation page's address names the ticket, signed: it works inside a third-party frame,
# where the browser keeps no session, and shows nothing but the tracking code.
_SUBMITTED_SALT = "destek.portal.submitted"
_SUBMITTED_MAX_AGE = 3600


def _page(request, workspace, form, *, embed: bool, error: str = "", status: int = 200):
    context = {
        "workspace": workspace,
        "form": form,
        "embed": embed,
        "error": error,
        "size_limit": size_limit_text(),
        "suggestions_url": kb_link.suggestions_url(workspace),
    }
    return render(request, "portal/new_ticket.html", context, status=status)


def _within_limits(request: HttpRequest, workspace: Workspace, form: NewTicketForm) -> bool:
    ip_ok = limits.hit(
        "ticket-ip", limits.client_ip(request), limit=spam.PER_IP[0], window=spam.PER_IP[1]
    )
    address = form.customer.email if form.customer else form.cleaned_data["email"]
    address_ok = limits.hit(
        "ticket-address",
        f"{workspace.pk}:{address}",
        limit=spam.PER_ADDRESS[0],
        window=spam.PER_ADDRESS[1],
    )
    return ip_ok and address_ok


def handle_form(request: HttpRequest, workspace: Workspace, *, embed: bool) -> HttpResponse:
    # The frame sits on another site: the browser sends it no cookies, so never a customer.
    customer = None if embed else request.portal_customer
    if request.method != "POST":
        initial = {"started": spam.started_token(), "fs": kb_link.new_form_session_id()}
        form = NewTicketForm(workspace=workspace, customer=customer, initial=initial)
        return _page(request, workspace, form, embed=embed)
    data = request.POST.copy()
    form = NewTicketForm(data, request.FILES, workspace=workspace, customer=customer)
    if form.is_spam():
        # A fresh start time: a person who was just quick can send the form again.
        data["started"] = spam.started_token()
        form = NewTicketForm(data, workspace=workspace, customer=customer)
        message = _("Formunuz gönderilemedi. Lütfen birkaç saniye bekleyip yeniden gönderin.")
        return _page(request, workspace, form, embed=embed, error=message, status=400)
    if not form.is_valid():
        return _page(request, workspace, form, embed=embed, status=400)
    if not _within_limits(request, workspace, form):
        message = _(
            "Kısa sürede çok fazla talep gönderildi. Lütfen bir süre sonra yeniden deneyin."
        )
        return _page(request, workspace, form, embed=embed, error=message, status=429)
    data = form.cleaned_data
    ticket = submit.open_ticket(
        workspace=workspace,
        customer=customer,
        email=data.get("email", ""),
        name=data.get("name", ""),
        subject=data["subject"],
        description=data["description"],
        category=data.get("category"),
        files=data["files"],
        form_session_id=data.get("fs", ""),
    )
    url = reverse("portal_submitted", args=[workspace.slug])
    query = {"t": signing.dumps(ticket.pk, salt=_SUBMITTED_SALT)}
    if embed:
        query["embed"] = "1"
    return redirect(f"{url}?{urlencode(query)}")


@portal_view
def new_ticket(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    return handle_form(request, workspace, embed=False)


@portal_view
def submitted(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """The confirmation: the tracking code of the ticket this browser just sent."""
    try:
        pk = signing.loads(
            request.GET.get("t", ""), salt=_SUBMITTED_SALT, max_age=_SUBMITTED_MAX_AGE
        )
    except signing.BadSignature:
        pk = None
    ticket = Ticket.objects.filter(workspace=workspace, pk=pk).first() if pk else None
    if ticket is None:
        return redirect("portal_new_ticket", workspace_slug=workspace.slug)
    customer = request.portal_customer
    context = {
        "workspace": workspace,
        "ticket": ticket,
        "embed": request.GET.get("embed") == "1",
        "own": customer is not None and customer.pk == ticket.customer_id,
    }
    response = render(request, "portal/submitted.html", context)
    if context["embed"]:
        from destek.portal.views.embed import allow_framing

        allow_framing(response, workspace)
    return response
