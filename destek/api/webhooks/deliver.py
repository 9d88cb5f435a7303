"""Sending due webhook deliveries: in order per ticket, with exponential backoff for a day,
and an endpoint switched off (and its admins told) after failing too often in a row."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from destek.api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from destek.api.webhooks import outgoing, sign
from destek.api.webhooks.alerts import notify_disabled

logger = logging.getLogger(__name__)

GIVE_UP_AFTER = timedelta(hours=24)
LEASE = timedelta(minutes=2)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … doubling up to 2 h between tries: about 18 tries in 24 hours."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 2 * 3600))


def _claim(endpoint_id: int, now: datetime) -> bool:
    # A conditional UPDATE: of two workers only one holds an endpoint, so its deliveries for
    # a ticket can't overtake each other.
    return bool(
        WebhookEndpoint.objects.filter(pk=endpoint_id)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + LEASE)
    )


def send_due(now: datetime | None = None) -> int:
    """One pass over every endpoint with a due delivery; returns how many were delivered."""
    now = now or timezone.now()
    due = (
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now, endpoint__is_active=True
        )
        .values_list("endpoint_id", flat=True)
        .distinct()
    )
    delivered = 0
    for endpoint_id in sorted(set(due)):
        if not _claim(endpoint_id, now):
            continue
        try:
            delivered += _send_for(WebhookEndpoint.objects.get(pk=endpoint_id), now)
        finally:
            WebhookEndpoint.objects.filter(pk=endpoint_id).update(lease_until=None)
    return delivered


def _send_for(endpoint: WebhookEndpoint, now: datetime) -> int:
    delivered = 0
    waiting: set[int] = set()  # tickets whose earlier delivery is still pending
    for delivery in endpoint.deliveries.filter(status=DeliveryStatus.PENDING).order_by("id"):
        if delivery.ticket_id is not None and delivery.ticket_id in waiting:
            continue
        if delivery.next_attempt_at > now:
            if delivery.ticket_id is not None:
                waiting.add(delivery.ticket_id)
            continue
        if attempt(endpoint, delivery, now):
            delivered += 1
        elif delivery.ticket_id is not None:
            waiting.add(delivery.ticket_id)
        if not endpoint.is_active:
            break
    return delivered


def headers_for(endpoint: WebhookEndpoint, delivery: WebhookDelivery, timestamp: int) -> dict:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Destek-Webhook/1",
        sign.ID_HEADER: str(delivery.pk),
        sign.EVENT_HEADER: delivery.event,
        sign.TIMESTAMP_HEADER: str(timestamp),
        sign.SIGNATURE_HEADER: sign.signature(endpoint.secret, timestamp, delivery.body.encode()),
    }


def attempt(endpoint: WebhookEndpoint, delivery: WebhookDelivery, now: datetime) -> bool:
    """POST the delivery once and record the outcome; True when the receiver took it (2xx)."""
    body = delivery.body.encode()
    started = time.monotonic()
    outcome = outgoing.post(
        endpoint.url, body, headers_for(endpoint, delivery, int(now.timestamp()))
    )
    elapsed_ms = int((time.monotonic() - started) * 1000)
    delivery.attempts += 1
    delivery.last_status_code = outcome.status_code
    delivery.last_error = outcome.error
    delivery.log = [
        *delivery.log,
        {
            "at": now.isoformat(),
            "status_code": outcome.status_code,
            "error": outcome.error,
            "ms": elapsed_ms,
        },
    ]
    if outcome.ok:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        endpoint.failure_count = 0
    else:
        retry_at = now + backoff(delivery.attempts)
        if retry_at - delivery.created_at > GIVE_UP_AFTER:
            delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = retry_at
        endpoint.failure_count += 1
    delivery.save()
    if not outcome.ok and endpoint.failure_count >= settings.WEBHOOK_DISABLE_AFTER:
        _disable(endpoint, outcome)
    else:
        endpoint.save(update_fields=["failure_count"])
    logger.info(
        "webhook delivery %s to endpoint %s: %s",
        delivery.pk,
        endpoint.pk,
        outcome.status_code or outcome.error,
    )
    return outcome.ok


def _disable(endpoint: WebhookEndpoint, outcome: outgoing.Outcome) -> None:
    endpoint.is_active = False
    endpoint.disabled_reason = (
        f"{endpoint.failure_count} failures in a row; last: {outcome.status_code or outcome.error}"
    )[:255]
    endpoint.save(update_fields=["is_active", "disabled_reason", "failure_count"])
    logger.warning(
        "webhook endpoint %s disabled after %s failures", endpoint.pk, endpoint.failure_count
    )
    notify_disabled(endpoint)


def redeliver(delivery: WebhookDelivery, now: datetime | None = None) -> WebhookDelivery:
    """A fresh copy of a delivery (same body), sent on the next pass."""
    now = now or timezone.now()
    return WebhookDelivery.objects.create(
        workspace_id=delivery.workspace_id,
        endpoint_id=delivery.endpoint_id,
        event=delivery.event,
        ticket_id=delivery.ticket_id,
        body=delivery.body,
        next_attempt_at=now,
        created_at=now,
    )
