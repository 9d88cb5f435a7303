"""The new-ticket form for a frame on the business's own website."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt

from destek.accounts.models import Workspace
from destek.portal.access import portal_view
from destek.portal.views.submit import handle_form


def frame_ancestors(workspace: Workspace) -> str:
    """The sites that may frame the form: the workspace's list, or any site when it has none."""
    origins = workspace.portal_embed_origins.split()
    return " ".join(["'self'", *origins]) if origins else "*"


def allow_framing(response: HttpResponse, workspace: Workspace) -> HttpResponse:
    response["Content-Security-Policy"] = f"frame-ancestors {frame_ancestors(workspace)}"
    response.xframe_options_exempt = True
    return response


# Exempt from CSRF: inside another site's frame the browser sends no cookies (SameSite), so no
# token could ever match. The form creates a guest ticket only — never acts for a signed-in
# customer — and keeps its honeypot, time check and rate limits.
@csrf_exempt
@xframe_options_exempt
@portal_view
def embed_form(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    return allow_framing(handle_form(request, workspace, embed=True), workspace)
