"""The one permission layer (DESIGN §3).

Every view is wrapped by exactly one of :func:`public_view`, :func:`login_view` or
:func:`workspace_view`; a test walks the URL configuration and fails on any view that is not.
Roles map to capabilities here and nowhere else, so the privacy promise — the owner sees numbers,
never contents — is one table that can be read and tested.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from destek.accounts.models import Membership, Role, Workspace


class Capability(StrEnum):
    USE_WORKSPACE = "use_workspace"  # see the workspace's shell: home, profile, switcher
    VIEW_STATS = "view_stats"  # numbers only; agents get their own (DESIGN §3)
    VIEW_ALL_STATS = "view_all_stats"
    READ_TICKETS = "read_tickets"  # contents: tickets, messages, customers, attachments
    WORK_TICKETS = "work_tickets"  # reply, note, assign, status, create
    MANAGE_DESK = "manage_desk"  # categories, canned replies, tags, mailboxes, SLA, KB
    MANAGE_MEMBERS = "manage_members"  # invite, remove, change roles, seats and trial
    VIEW_AUDIT = "view_audit"
    VIEW_SYSTEM_MAIL = "view_system_mail"
    MANAGE_PRIVACY = "manage_privacy"  # KVKK: export or erase a customer's data
    EDIT_KB = "edit_kb"  # write knowledge-base articles; agents only where the workspace allows


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.OWNER: frozenset(
        {
            Capability.USE_WORKSPACE,
            Capability.VIEW_STATS,
            Capability.VIEW_ALL_STATS,
            Capability.MANAGE_MEMBERS,
            Capability.VIEW_AUDIT,  # administrative actions only (accounts/audit_views.py)
        }
    ),
    Role.ADMIN: frozenset(Capability),
    Role.AGENT: frozenset(
        {
            Capability.USE_WORKSPACE,
            Capability.VIEW_STATS,
            Capability.READ_TICKETS,
            Capability.WORK_TICKETS,
        }
    ),
}

# Capabilities a role holds only while its workspace grants them (DESIGN §3 "KB: edit if
# allowed"); the setting lives on the workspace, which the permission layer has already loaded.
GRANTED_CAPABILITIES: dict[str, dict[Capability, Callable[[Workspace], bool]]] = {
    Role.AGENT: {Capability.EDIT_KB: lambda workspace: workspace.agents_edit_kb},
}

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def capabilities_of(membership: Membership | None) -> frozenset[Capability]:
    """What this member may do now: the role's fixed capabilities plus those granted by the
    workspace's settings."""
    if membership is None:
        return frozenset()
    granted = GRANTED_CAPABILITIES.get(membership.role, {})
    extra = {cap for cap, allowed in granted.items() if allowed(membership.workspace)}
    return ROLE_CAPABILITIES.get(membership.role, frozenset()) | extra


def has_capability(membership: Membership | None, capability: Capability) -> bool:
    return capability in capabilities_of(membership)


def can_manage_member(actor: Membership, target_role: str) -> bool:
    """Admins manage everyone but the owner; only the owner hands out or takes the owner role."""
    if not has_capability(actor, Capability.MANAGE_MEMBERS):
        return False
    return actor.role == Role.OWNER or target_role != Role.OWNER


def membership_for(request: HttpRequest, workspace_slug: str) -> Membership:
    """The user's active membership in the workspace, or 404: another tenant looks absent."""
    membership = (
        Membership.objects.select_related("workspace", "user")
        .filter(workspace__slug=workspace_slug, user=request.user, is_active=True)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def managed_member_for(request: HttpRequest, membership_id: int) -> Membership:
    """A member of the current workspace whom the requester may manage: 404 for anyone else's
    member, 403 for the owner when an admin asks."""
    target = get_object_or_404(
        Membership.objects.select_related("user", "workspace"),
        pk=membership_id,
        workspace=request.workspace,
        is_active=True,
    )
    if not can_manage_member(request.membership, target.role):
        raise PermissionDenied
    return target


def _activate_workspace(request: HttpRequest, membership: Membership) -> None:
    workspace = membership.workspace
    request.workspace = workspace
    request.membership = membership
    timezone.activate(ZoneInfo(workspace.time_zone))
    # Assigning marks the session modified: only when it changes, or every page view would
    # write the session row (a write transaction per request).
    if request.session.get("last_workspace") != workspace.slug:
        request.session["last_workspace"] = workspace.slug
    # A language picked with the switcher (the cookie) wins over the user's and workspace's.
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        language = request.user.language or workspace.language
        translation.activate(language)
        request.LANGUAGE_CODE = language


def _mark(view: Callable, access: str) -> Callable:
    view.destek_access = access
    return view


def public_view(view: Callable) -> Callable:
    """Anyone may reach it (login, sign-up, password reset, invitation acceptance)."""
    return _mark(view, "public")


def login_view(view: Callable) -> Callable:
    """Any logged-in user, outside a workspace (the workspace chooser, profile)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _mark(wrapper, "login")


def workspace_view(capability: Capability) -> Callable[[Callable], Callable]:
    """A page inside ``/w/<workspace_slug>/`` that needs ``capability``.

    Non-members get 404 (a tenant's existence is not revealed), members without the capability
    403, and any change to a read-only (trial ended) workspace a page that says so.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(
            request: HttpRequest, workspace_slug: str, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_for(request, workspace_slug)
            if not has_capability(membership, capability):
                raise PermissionDenied
            _activate_workspace(request, membership)
            if membership.workspace.require_2fa and not _has_2fa(request.user):
                return _two_factor_setup_redirect(request)
            if request.method not in SAFE_METHODS and membership.workspace.is_read_only():
                return read_only_response(request, membership.workspace)
            return view(request, *args, **kwargs)

        wrapper.destek_capability = capability
        return _mark(wrapper, "workspace")

    return decorator


def _has_2fa(user: Any) -> bool:
    from destek.accounts.twofactor import is_enabled

    return is_enabled(user)


def _two_factor_setup_redirect(request: HttpRequest) -> HttpResponse:
    """A workspace that requires two-step login shows nothing until the member has set it up."""
    messages.warning(
        request,
        _("Bu çalışma alanı iki adımlı doğrulama istiyor; devam etmek için şimdi açın."),
    )
    url = reverse("account_security") + "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)


def read_only_response(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    return render(
        request,
        "read_only.html",
        {
            "message": _(
                "%(name)s çalışma alanının deneme süresi bitti; etkinleştirilene kadar "
                "değişiklik yapılamaz."
            )
            % {"name": workspace.name}
        },
        status=403,
    )
