"""Loop and noise guards for the mail Destek sends on its own (DESIGN §5).

Acknowledgements and agent notifications are *automatic* mail: nobody looked at the message
that caused them. Answering a machine can start a mail loop (two auto-responders answering each
other forever) or spam a list, so automatic mail goes out only when the message that triggers it
was written by a person to us, and never more than :data:`AUTO_MAIL_PER_HOUR` times an hour per
sender. Replies an agent writes are never guarded: a person decided to send them.

The header checks themselves are in :mod:`destek.mail.classify` (pure); this module adds what
needs the database (the workspace's own addresses) and the cache (the rate limit).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from django.core.cache import cache

from destek.lib.memo import batch_memoized
from destek.lib.window_count import count_in_window
from destek.mail.models import Mailbox
from destek.mail.parse import ParsedEmail

# At most this many automatic mails per sender, workspace and kind in one hour.
AUTO_MAIL_PER_HOUR = 3
_WINDOW_SECONDS = 3600

# The address we would answer: machine mailboxes never read what we send (classify looks at
# From; this looks at the Reply-To that may replace it).
_MACHINE_ADDRESS = re.compile(
    r"^(?:mailer-daemon|postmaster|no[-_.]?reply|do[-_.]?not[-_.]?reply|bounces?)(?:$|[-+._])",
    re.IGNORECASE,
)


@batch_memoized
def own_addresses(workspace_id: int) -> frozenset[str]:
    """The workspace's mailbox addresses, lower-cased (remembered for one ingest batch)."""
    addresses = Mailbox.objects.filter(workspace_id=workspace_id).values_list("address", flat=True)
    return frozenset(address.lower() for address in addresses)


def is_own_address(workspace_id: int, address: str) -> bool:
    """Whether ``address`` is one of the workspace's mailboxes (mail from ourselves)."""
    return address.lower() in own_addresses(workspace_id)


def refusal(*, workspace_id: int, parsed: ParsedEmail, address: str | None) -> str | None:
    """Why no automatic mail may answer ``parsed`` (sent to ``address``), or ``None`` when one
    may. The reason is a short code for logs (``auto-submitted:auto-replied``, ``own-address``…);
    it never contains an address."""
    if parsed.is_bounce:
        return "bounce"
    if not address:
        return "no-address"
    reasons = list(parsed.auto_reasons) or (["automatic"] if parsed.is_auto else [])
    if parsed.from_email and address.lower() != parsed.from_email.lower():
        # A contact form relayed from no-reply@ with the customer in Reply-To: the answer goes
        # to the customer, a person, so the machine sender is no reason to stay silent.
        reasons = [reason for reason in reasons if reason != "machine-sender"]
    if reasons:
        return reasons[0]
    if _MACHINE_ADDRESS.match(address.rpartition("@")[0] or address):
        return "machine-address"
    own = {address.lower()}
    if parsed.from_email:
        own.add(parsed.from_email.lower())
    if any(is_own_address(workspace_id, candidate) for candidate in own):
        return "own-address"
    return None


def _rate_key(kind: str, workspace_id: int, address: str) -> str:
    # Hashed: the cache (Redis in production) is no place for customer addresses in clear.
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()[:24]
    return f"destek:auto-mail:{kind}:{workspace_id}:{digest}"


def take_slot(kind: str, *, workspace_id: int, address: str) -> bool:
    """Count one automatic mail of ``kind`` caused by ``address``; ``False`` when the sender
    used up the hour's allowance (the window starts with the first mail).

    The cache is per process unless ``REDIS_URL`` is set; then every process shares one count.
    """
    key = _rate_key(kind, workspace_id, address)
    ledger = _ledger.get()
    if ledger is not None:
        ledger.append(key)
    return count_in_window(key, _WINDOW_SECONDS) <= AUTO_MAIL_PER_HOUR


_ledger: ContextVar[list[str] | None] = ContextVar("destek_slot_ledger", default=None)


@contextmanager
def slots_taken() -> Iterator[list[str]]:
    """Note every slot :func:`take_slot` counts inside the block, so work that is rolled back
    and done again (the ingest batch falling back to mail by mail) can :func:`give_back` them."""
    keys: list[str] = []
    token = _ledger.set(keys)
    try:
        yield keys
    finally:
        _ledger.reset(token)


def give_back(keys: list[str]) -> None:
    for key in keys:
        with suppress(ValueError):  # expired meanwhile: nothing left to give back
            cache.decr(key)
