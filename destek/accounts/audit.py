"""Writing the audit log (who did what to accounts and data)."""

from __future__ import annotations

from django.http import HttpRequest

from destek.accounts.models import AuditLog, User, Workspace


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    workspace: Workspace | None = None,
    actor: User | None = None,
    target: str = "",
    request: HttpRequest | None = None,
    **data: object,
) -> AuditLog:
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditLog.objects.create(
        workspace=workspace,
        actor=actor,
        action=action,
        target=target[:255],
        ip_address=client_ip(request),
        data=data,
    )
