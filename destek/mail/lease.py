"""Who may fetch a mailbox right now (DESIGN §2 scale-out): a lease on the mailbox row.

A worker claims a mailbox with one conditional UPDATE that succeeds only when the lease is free,
expired, or held by a process of this machine that no longer exists (killed, crashed); so two
workers never fetch the same mailbox at once, and a restarted fetcher does not wait for the
lease of the one it replaces to expire. The holder renews the lease as it goes.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from destek.mail.models import Mailbox


class LeaseLost(Exception):
    """Another worker took the mailbox over (our lease had expired): stop fetching it."""


def new_owner() -> str:
    """A lease owner id: ``host:pid:random`` (the pid lets this host detect a dead holder)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def lease_until(now: datetime) -> datetime:
    return now + timedelta(seconds=settings.MAIL_LEASE_SECONDS)


def _holder_is_dead(owner: str) -> bool:
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False  # another thread of this process: alive by definition
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # exists, owned by another user
        return False
    return False


def claim(mailbox_id: int, owner: str, *, now: datetime | None = None) -> bool:
    """Take the mailbox's lease for ``owner``; False when another live worker holds it."""
    now = now or timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=owner)
    rows = Mailbox.objects.filter(free, pk=mailbox_id)
    if rows.update(lease_owner=owner, lease_until=lease_until(now)):
        return True
    holder = Mailbox.objects.filter(pk=mailbox_id).values_list("lease_owner", flat=True).first()
    if holder and _holder_is_dead(holder):
        # Conditional on the dead holder still being recorded: of two workers taking over at
        # the same moment, one wins.
        rows = Mailbox.objects.filter(pk=mailbox_id, lease_owner=holder)
        return bool(rows.update(lease_owner=owner, lease_until=lease_until(now)))
    return False


def advance(mailbox_id: int, owner: str, **fields: object) -> None:
    """Write fetch progress (``last_uid``, …) and renew the lease in one UPDATE; raises
    :class:`LeaseLost` when the lease is no longer ours, so the progress is not written."""
    now = timezone.now()
    rows = Mailbox.objects.filter(pk=mailbox_id, lease_owner=owner)
    if not rows.update(lease_until=lease_until(now), **fields):
        raise LeaseLost(mailbox_id)


def release(mailbox_id: int, owner: str, **fields: object) -> None:
    """Give the lease back (and write ``fields`` with it) if it is still ours."""
    Mailbox.objects.filter(pk=mailbox_id, lease_owner=owner).update(
        lease_owner="", lease_until=None, **fields
    )
