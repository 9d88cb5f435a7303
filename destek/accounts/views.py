"""Pages outside a workspace: sign-up, login, password reset, the workspace chooser and
invitation acceptance. The pages inside ``/w/<slug>/`` are in ``workspace_views.py``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as log_in
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from destek.accounts import audit, security_views, services
from destek.accounts.forms import (
    AcceptInvitationForm,
    SignupForm,
    SystemPasswordResetForm,
)
from destek.accounts.models import Invitation, Membership, Role, User
from destek.accounts.permissions import login_view, public_view

login = security_views.login  # email and password, then the code when 2FA is on
logout = public_view(auth_views.LogoutView.as_view())


class _PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = SystemPasswordResetForm

    @property
    def extra_email_context(self) -> dict[str, str]:
        # The configured address, not the request's Host header, goes into the link.
        return {"base_url": settings.BASE_URL}


class _PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit.record_for_user(
            "password.reset", user=form.user, actor=form.user, request=self.request
        )
        return response


password_reset = public_view(_PasswordResetView.as_view())
password_reset_done = public_view(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = public_view(_PasswordResetConfirmView.as_view())
password_reset_complete = public_view(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)


@public_view
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            workspace = services.create_workspace_safely(
                **form.workspace_arguments(), language=request.LANGUAGE_CODE, request=request
            )
        except services.AccountError as error:
            form.add_error(None, str(error))
        else:
            if not request.user.is_authenticated:
                log_in(request, workspace.memberships.get(role=Role.OWNER).user)
            return redirect("workspace_home", workspace.slug)
    return render(request, "accounts/signup.html", {"form": form})


@login_view
def home(request: HttpRequest) -> HttpResponse:
    """Straight into the workspace used last (or the only one); the chooser otherwise."""
    slugs = list(
        Membership.objects.for_user(request.user).active().values_list("workspace__slug", flat=True)
    )
    last = request.session.get("last_workspace")
    if last in slugs:
        return redirect("workspace_home", last)
    if len(slugs) == 1:
        return redirect("workspace_home", slugs[0])
    return redirect("workspace_chooser")


@login_view
def workspace_chooser(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.for_user(request.user)
        .active()
        .select_related("workspace")
        .order_by("workspace__name")
    )
    return render(request, "accounts/workspace_chooser.html", {"memberships": memberships})


def _invitation_state(request: HttpRequest, invitation: Invitation) -> str:
    """Who is looking at the invitation: "accept" (logged in with the invited address),
    "wrong_user" (logged in as someone else), "login" (the address has an account with a
    password: log in first) or "new" (a new person sets a name and password)."""
    if request.user.is_authenticated:
        same = request.user.email.lower() == invitation.email.lower()
        return "accept" if same else "wrong_user"
    existing = User.objects.filter(email__iexact=invitation.email).first()
    return "login" if existing is not None and existing.has_usable_password() else "new"


@public_view
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.select_related("workspace").filter(token=token).first()
    if invitation is None or not invitation.is_usable():
        status = 404 if invitation is None else 410
        return render(request, "accounts/invitation_invalid.html", status=status)
    state = _invitation_state(request, invitation)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (state == "accept" or (state == "new" and form.is_valid())):
        user = request.user if state == "accept" else None
        try:
            membership = services.accept_invitation(
                invitation=invitation, user=user, **(form.cleaned_data if user is None else {})
            )
        except services.AccountError as error:
            messages.error(request, str(error))
        else:
            if user is None:
                log_in(request, membership.user)
            welcome = _("%(name)s ekibine hoş geldiniz.") % {"name": invitation.workspace.name}
            messages.success(request, welcome)
            return redirect("workspace_home", invitation.workspace.slug)
    context = {"invitation": invitation, "state": state, "form": form}
    return render(request, "accounts/invitation.html", context)
