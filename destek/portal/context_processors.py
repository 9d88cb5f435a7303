from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from destek.accounts.models import Workspace


def _slug(request: HttpRequest) -> str | None:
    match = request.resolver_match
    return match.kwargs.get("workspace_slug") if match else None


def portal(request: HttpRequest) -> dict[str, object]:
    """For pages extending portal/base.html, the SSS pages included (which do not go through the
    portal's own decorators): the signed-in customer and the SSS home, both looked up lazily."""
    if not request.path.startswith("/s/"):
        return {}

    def customer():
        if hasattr(request, "portal_customer"):
            return request.portal_customer
        from destek.portal.access import customer_for

        slug = _slug(request)
        workspace = Workspace.objects.filter(slug=slug).first() if slug else None
        return customer_for(request, workspace) if workspace else None

    def kb_url() -> str:
        try:
            return reverse("kb_home", kwargs={"workspace_slug": _slug(request)})
        except NoReverseMatch:  # the SSS app is not installed (or not routed) here
            return ""

    return {"portal_customer": customer, "portal_kb_url": kb_url}
