from __future__ import annotations

from django.http import HttpRequest

from destek.accounts.permissions import capabilities_of


def workspace(request: HttpRequest) -> dict[str, object]:
    """The current workspace, role and capabilities for the page shell (set by the permission
    layer only)."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {
        "workspace": membership.workspace,
        "membership": membership,
        "caps": {cap.value for cap in capabilities_of(membership)},
    }
