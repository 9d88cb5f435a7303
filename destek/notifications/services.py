"""The one way to notify staff in the app: :func:`notify`. Other apps (assignment, SLA alerts,
mentions and followers) call it; it decides who may receive what."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from destek.accounts.models import Membership, User
from destek.notifications.models import Notification
from destek.tickets.models import Ticket


def notify(
    *,
    recipients: Iterable[User | int],
    ticket: Ticket | None,
    kind: str,
    actor: User | None = None,
    workspace_id: int | None = None,
    **params: object,
) -> list[Notification]:
    """One notification per recipient who works tickets in the workspace (admins and agents:
    never the owner, never someone of another workspace, never the actor about their own act).
    ``params`` fill the kind's template; ``code`` and ``actor`` are added from the ticket and
    the actor."""
    workspace_id = ticket.workspace_id if ticket is not None else workspace_id
    if workspace_id is None:
        raise ValueError("notify() needs a ticket or a workspace_id")
    wanted = {r.pk if isinstance(r, User) else int(r) for r in recipients}
    if actor is not None:
        wanted.discard(actor.pk)
    if not wanted:
        return []
    allowed = (
        Membership.objects.agents()
        .filter(workspace_id=workspace_id, user_id__in=wanted)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    if ticket is not None:
        params.setdefault("code", ticket.code)
    if actor is not None:
        params.setdefault("actor", actor.display_name)
    now = timezone.now()
    return Notification.objects.bulk_create(
        Notification(
            workspace_id=workspace_id,
            recipient_id=user_id,
            ticket=ticket,
            kind=kind,
            params=params,
            actor=actor,
            created_at=now,
        )
        for user_id in allowed
    )


def unread_count(workspace_id: int, user_id: int) -> int:
    return Notification.objects.filter(
        workspace_id=workspace_id, recipient_id=user_id, read_at__isnull=True
    ).count()


def mark_read(notifications) -> int:
    return notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
