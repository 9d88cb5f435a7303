"""Who is looking at the portal: the workspace from the URL and, once signed in by a one-time
link, one customer of that workspace.

The customer session is a key in Django's session, separate from staff authentication: a staff
login never grants portal access and a portal sign-in never grants staff access. It names one
workspace and one customer; a page of another workspace treats it as absent.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation

from destek.accounts.models import Workspace
from destek.accounts.permissions import public_view
from destek.tickets.models import Customer, Ticket

SESSION_KEY = "portal_customer"


def sign_in(request: HttpRequest, customer: Customer) -> None:
    """Start a customer session: a fresh session id, so a planted one is never promoted."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"workspace": customer.workspace_id, "customer": customer.pk}


def sign_out(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def customer_for(request: HttpRequest, workspace: Workspace) -> Customer | None:
    """The signed-in customer of this workspace, or None."""
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or data.get("workspace") != workspace.pk:
        return None
    return Customer.objects.filter(workspace=workspace, pk=data.get("customer")).first()


def _activate(request: HttpRequest, workspace: Workspace) -> None:
    request.portal_workspace = workspace
    timezone.activate(ZoneInfo(workspace.time_zone))
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(workspace.language)
        request.LANGUAGE_CODE = workspace.language


def portal_view(view: Callable) -> Callable:
    """A public page of one workspace's portal: ``view(request, workspace, ...)``.

    Unknown workspaces are 404. The signed-in customer (or None) is ``request.portal_customer``.
    """

    @wraps(view)
    def wrapper(
        request: HttpRequest, workspace_slug: str, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        workspace = get_object_or_404(Workspace, slug=workspace_slug)
        _activate(request, workspace)
        request.portal_customer = customer_for(request, workspace)
        return view(request, workspace, *args, **kwargs)

    return public_view(wrapper)


def customer_view(view: Callable) -> Callable:
    """A portal page for a signed-in customer only: ``view(request, workspace, customer, ...)``;
    anyone else is sent to the sign-in page, which returns here afterwards."""

    @wraps(view)
    def inner(request: HttpRequest, workspace: Workspace, *args: Any, **kwargs: Any):
        customer = request.portal_customer
        if customer is None:
            url = reverse("portal_signin", args=[workspace.slug])
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return view(request, workspace, customer, *args, **kwargs)

    return portal_view(inner)


def ticket_for(workspace: Workspace, customer: Customer, number: int) -> Ticket:
    """One of the customer's own tickets by its number; 404 for anyone else's."""
    ticket = (
        Ticket.objects.filter(workspace=workspace, customer=customer, number=number)
        .select_related("category")
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket
