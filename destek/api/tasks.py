"""Background jobs of the API app for the Huey consumer (``destek worker``)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from destek.api.models import IdempotencyRecord
from destek.api.webhooks import deliver


@db_task()
def send_webhooks() -> int:
    """Woken after a commit that wrote deliveries."""
    return deliver.send_due()


# Every minute: retries whose backoff has passed, and anything a lost wake-up left behind.
@db_periodic_task(crontab(minute="*"))
def send_due_webhooks() -> int:
    return deliver.send_due()


@db_periodic_task(crontab(minute="17"))
def forget_idempotency_keys() -> int:
    """Idempotency keys are kept for a day, like the webhook retries."""
    cutoff = timezone.now() - timedelta(hours=24)
    return IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()[0]
