"""Writing deliveries (inside the change's transaction) and waking the sender after commit."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from destek.api.models import WebhookDelivery, WebhookEndpoint
from destek.api.webhooks.payloads import envelope
from destek.lib.memo import batch_memoized


def endpoints_for(
    workspace_id: int, event: str, *, internal: bool = False
) -> list[WebhookEndpoint]:
    """Active endpoints of the workspace that subscribed to ``event``; notes (``internal``) go
    only to endpoints marked internal. One small indexed query, read once per ingest batch."""
    return [
        endpoint
        for endpoint in _active_endpoints(workspace_id)
        if event in endpoint.events and (endpoint.is_internal or not internal)
    ]


@batch_memoized
def _active_endpoints(workspace_id: int) -> list[WebhookEndpoint]:
    return list(WebhookEndpoint.objects.filter(workspace_id=workspace_id, is_active=True))


def write(
    workspace_id: int,
    event: str,
    ticket_id: int | None,
    data: Callable[[], dict[str, Any]],
    *,
    internal: bool = False,
) -> list[WebhookDelivery]:
    """One delivery per interested endpoint; ``data`` is only built when there is one."""
    chosen = endpoints_for(workspace_id, event, internal=internal)
    if not chosen:
        return []
    now = timezone.now()
    body = envelope(event, uuid.uuid4().hex, now.isoformat(), data())
    deliveries = [
        WebhookDelivery.objects.create(
            workspace_id=workspace_id,
            endpoint=endpoint,
            event=event,
            ticket_id=ticket_id,
            body=body,
            next_attempt_at=now,
            created_at=now,
        )
        for endpoint in chosen
    ]
    transaction.on_commit(_wake_sender)
    return deliveries


def _wake_sender() -> None:
    from destek.api.tasks import send_webhooks

    send_webhooks()
