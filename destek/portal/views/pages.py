from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from destek.accounts.models import Workspace
from destek.portal.access import portal_view


@portal_view
def home(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    return render(request, "portal/home.html", {"workspace": workspace})


@portal_view
def logo(request: HttpRequest, workspace: Workspace) -> FileResponse:
    if not workspace.logo:
        raise Http404
    content_type = mimetypes.guess_type(workspace.logo.name)[0] or "application/octet-stream"
    response = FileResponse(workspace.logo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response
