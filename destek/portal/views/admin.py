from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from destek.accounts.permissions import Capability, workspace_view


@workspace_view(Capability.MANAGE_DESK)
def portal_settings(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/settings.html", {})
