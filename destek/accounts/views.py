from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from destek.accounts.models import Membership
from destek.accounts.permissions import login_view, public_view

login = public_view(auth_views.LoginView.as_view())
logout = public_view(auth_views.LogoutView.as_view())


@login_view
def home(request: HttpRequest) -> HttpResponse:
    membership = (
        Membership.objects.active().filter(user=request.user).select_related("workspace").first()
    )
    if membership is None:
        return redirect("workspace_chooser")
    return redirect("workspace_home", membership.workspace.slug)


@login_view
def workspace_chooser(request: HttpRequest) -> HttpResponse:
    return HttpResponse("TODO")


@public_view
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    return HttpResponse("TODO")
