"""The satisfaction survey page, reached by the signed link in the "resolved" mail or from the
ticket page; no sign-in needed (the link is the customer's)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from destek.accounts.models import Workspace
from destek.portal import csat
from destek.portal.access import portal_view
from destek.portal.forms import RatingForm


@portal_view
def rate(request: HttpRequest, workspace: Workspace, token: str) -> HttpResponse:
    ticket = csat.ticket_from_token(workspace, token)
    if ticket is None:
        raise Http404
    rating = csat.rating_of(ticket)
    initial = {"score": rating.score, "comment": rating.comment} if rating else {}
    form = RatingForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                csat.rate(
                    ticket=ticket,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except csat.RatingClosed:
                messages.error(request, _("Bu talep kapandığı için puanı artık değiştirilemez."))
            else:
                messages.success(request, _("Değerlendirmeniz için teşekkür ederiz!"))
            if request.portal_customer and request.portal_customer.pk == ticket.customer_id:
                return redirect(
                    "portal_ticket", workspace_slug=workspace.slug, number=ticket.number
                )
            return redirect("portal_csat", workspace_slug=workspace.slug, token=token)
        status = 400
    return render(
        request,
        "portal/csat.html",
        {
            "workspace": workspace,
            "ticket": ticket,
            "rating": rating,
            "form": form,
            "can_rate": csat.can_rate(ticket),
            "token": token,
        },
        status=status,
    )
