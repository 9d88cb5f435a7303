"""Asking for and following a one-time sign-in link."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from destek.accounts.models import Workspace
from destek.portal import access, limits, signin
from destek.portal.access import portal_view
from destek.portal.forms import SigninForm


def safe_next(request: HttpRequest, workspace: Workspace) -> str:
    """Where to go after signing in: a page of this workspace's portal, else the ticket list."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    prefix = reverse("portal_home", args=[workspace.slug])
    if target.startswith(prefix) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return reverse("portal_tickets", args=[workspace.slug])


@portal_view
def request_link(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    form = SigninForm(request.POST or None)
    context = {"workspace": workspace, "form": form, "next": safe_next(request, workspace)}
    if request.method == "POST" and form.is_valid():
        try:
            signin.request_link(
                workspace=workspace,
                email=form.cleaned_data["email"],
                ip=limits.client_ip(request),
                next_path=context["next"],
            )
        except signin.RateLimited:
            return render(request, "portal/signin.html", {**context, "limited": True}, status=429)
        # The same page whether or not the address is a customer's.
        return render(request, "portal/signin_sent.html", context)
    return render(request, "portal/signin.html", context)


@portal_view
def follow_link(request: HttpRequest, workspace: Workspace, token: str) -> HttpResponse:
    # Opening the link only shows a button: mail scanners that fetch links use nothing up.
    context = {"workspace": workspace, "token": token, "next": safe_next(request, workspace)}
    if request.method != "POST":
        if not signin.looks_usable(workspace=workspace, token=token):
            return render(request, "portal/signin_invalid.html", context, status=400)
        return render(request, "portal/signin_confirm.html", context)
    customer = signin.redeem(workspace=workspace, token=token)
    if customer is None:
        return render(request, "portal/signin_invalid.html", context, status=400)
    access.sign_in(request, customer)
    return redirect(context["next"])


@portal_view
@require_POST
def sign_out_view(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    access.sign_out(request)
    return redirect("portal_home", workspace_slug=workspace.slug)
