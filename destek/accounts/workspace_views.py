"""Account pages inside a workspace (``/w/<slug>/``): the team and sent system mail (the audit
log is in ``audit_views.py``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts import services
from destek.accounts.forms import InviteForm, RoleForm
from destek.accounts.models import Invitation, Membership, Role
from destek.accounts.permissions import (
    Capability,
    can_manage_member,
    managed_member_for,
    workspace_view,
)

PAGE_SIZE = 50


def _members_page(request: HttpRequest, invite_form: InviteForm) -> HttpResponse:
    workspace = request.workspace
    members = (
        Membership.objects.for_workspace(workspace)
        .active()
        .select_related("user", "user__two_factor")
        .order_by("created_at")
    )
    # Nobody removes or re-roles themselves or the owner from this page.
    manageable = {
        member.pk
        for member in members
        if member.user_id != request.user.pk
        and member.role != Role.OWNER
        and can_manage_member(request.membership, member.role)
    }
    context = {
        "members": members,
        "manageable": manageable,
        "invitations": Invitation.objects.filter(workspace=workspace).pending().order_by("email"),
        "seats_used": services.seats_used(workspace),
        "invite_form": invite_form,
        "role_form": RoleForm(),
    }
    return render(request, "accounts/members.html", context)


@workspace_view(Capability.MANAGE_MEMBERS)
def member_list(request: HttpRequest) -> HttpResponse:
    return _members_page(request, InviteForm())


@workspace_view(Capability.MANAGE_MEMBERS)
@require_POST
def member_invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invite(
                workspace=request.workspace,
                actor=request.user,
                request=request,
                **form.cleaned_data,
            )
        except services.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(email)s davet edildi.") % {"email": invitation.email})
            return redirect("member_list", request.workspace.slug)
    return _members_page(request, form)


@workspace_view(Capability.MANAGE_MEMBERS)
@require_POST
def member_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    member = managed_member_for(request, membership_id)
    try:
        services.remove_member(membership=member, actor=request.user, request=request)
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s ekipten çıkarıldı; açık talepleri atanmamış kuyruğuna döndü.")
            % {"name": member.user.display_name},
        )
    return redirect("member_list", request.workspace.slug)


@workspace_view(Capability.MANAGE_MEMBERS)
@require_POST
def member_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    member = managed_member_for(request, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Geçersiz rol."))
        return redirect("member_list", request.workspace.slug)
    try:
        services.change_role(
            membership=member, role=form.cleaned_data["role"], actor=request.user, request=request
        )
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s artık %(role)s.")
            % {"name": member.user.display_name, "role": member.get_role_display()},
        )
    return redirect("member_list", request.workspace.slug)


@workspace_view(Capability.MANAGE_MEMBERS)
@require_POST
def invitation_cancel(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation, pk=invitation_id, workspace=request.workspace, accepted_at__isnull=True
    )
    services.cancel_invitation(invitation=invitation, actor=request.user, request=request)
    messages.success(request, _("%(email)s daveti geri alındı.") % {"email": invitation.email})
    return redirect("member_list", request.workspace.slug)


@workspace_view(Capability.VIEW_SYSTEM_MAIL)
def system_mail(request: HttpRequest) -> HttpResponse:
    page = Paginator(services.system_mail_for(request.workspace), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "sent_by_smtp": bool(settings.EMAIL_URL)}
    return render(request, "accounts/system_mail_list.html", context)


@workspace_view(Capability.VIEW_SYSTEM_MAIL)
def system_mail_detail(request: HttpRequest, name: str) -> HttpResponse:
    mail = next((m for m in services.system_mail_for(request.workspace) if m.name == name), None)
    if mail is None:
        # Operators may clear the mail directory; an old link leads back to the list.
        messages.error(request, _("Bu e-posta artık yok."))
        return redirect("system_mail", request.workspace.slug)
    context = {"mail": mail, "body_visible": services.mail_body_visible_to(mail, request.user)}
    return render(request, "accounts/system_mail_detail.html", context)
