"""Background jobs of the portal, run by the Huey consumer (``destek worker``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from destek.portal.models import MagicLink

# Kept a day past their end so a customer's "this link does not work" can still be looked into.
KEEP_FOR = timedelta(days=1)


def purge_magic_links(*, now: datetime | None = None) -> int:
    """Delete sign-in links that were used or expired more than :data:`KEEP_FOR` ago."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    deleted, _ = MagicLink.objects.filter(Q(expires_at__lt=cutoff) | Q(used_at__lt=cutoff)).delete()
    return deleted


@db_periodic_task(crontab(minute="23", hour="3"))
def purge_old_magic_links() -> int:
    return purge_magic_links()
