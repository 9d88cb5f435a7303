from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from destek.accounts.permissions import Capability, has_capability
from destek.mail.models import Mailbox


def failing_mailboxes(request: HttpRequest) -> dict[str, object]:
    """Admins see a banner on every page while a mailbox can't be fetched: an outage is never
    silent (DESIGN §5). Looked up only when a page shows it."""
    membership = getattr(request, "membership", None)
    if not has_capability(membership, Capability.MANAGE_DESK):
        return {}

    def failing() -> list[Mailbox]:
        candidates = Mailbox.objects.for_workspace(membership.workspace).active()
        return [m for m in candidates.filter(failure_count__gt=0) if m.is_failing()]

    return {"failing_mailboxes": SimpleLazyObject(failing)}
