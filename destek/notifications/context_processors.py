from __future__ import annotations

from django.http import HttpRequest

from destek.accounts.permissions import Capability, has_capability
from destek.notifications.services import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    """The sidebar's unread count: one indexed COUNT, only for people who read tickets."""
    membership = getattr(request, "membership", None)
    if membership is None or not has_capability(membership, Capability.READ_TICKETS):
        return {}
    return {"unread_notifications": unread_count(membership.workspace_id, membership.user_id)}
