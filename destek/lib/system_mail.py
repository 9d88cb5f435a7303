"""System mail that is kept, not sent, until an operator configures ``DESTEK_EMAIL_URL``.

Each message is written as an ``.eml`` file in the data directory so nothing is lost, and admins
can read what would have gone out (invitations, password resets) on the "sent system mail" page.
"""

from __future__ import annotations

import email
import email.policy
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

# Set by the code that sends a system mail, so the "sent system mail" page can keep each
# workspace's mail to that workspace and hide secrets (password-reset links) from other readers.
WORKSPACE_HEADER = "X-Destek-Workspace"
KIND_HEADER = "X-Destek-Mail"


class DataDirEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Iterable) -> int:
        directory = Path(settings.SYSTEM_MAIL_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        count = 0
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
            path = directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            path.write_bytes(message.message().as_bytes(linesep="\n"))
            count += 1
        return count


@dataclass(frozen=True)
class StoredMail:
    name: str
    sent_at: datetime | None
    to: tuple[str, ...]
    subject: str
    body: str
    workspace: str = ""  # the slug in WORKSPACE_HEADER, "" when the mail is not a workspace's
    kind: str = ""  # KIND_HEADER: "invitation", "password-reset", …


def stored_mails(recipients: set[str] | None = None) -> Iterator[StoredMail]:
    """Kept system mail, newest first; only mail to ``recipients`` when given."""
    directory = Path(settings.SYSTEM_MAIL_DIR)
    if not directory.is_dir():
        return
    wanted = {address.lower() for address in recipients} if recipients is not None else None
    for path in sorted(directory.glob("*.eml"), reverse=True):
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        to = tuple(addr.lower() for _name, addr in getaddresses(parsed.get_all("To", [])))
        if wanted is not None and not wanted.intersection(to):
            continue
        body_part = parsed.get_body(preferencelist=("plain", "html"))
        try:
            sent_at = parsedate_to_datetime(parsed["Date"]) if parsed["Date"] else None
        except (TypeError, ValueError):
            sent_at = None
        if sent_at is not None and sent_at.tzinfo is None:
            # "-0000" (what Django writes) means UTC with no local zone given (RFC 5322 §3.3).
            sent_at = sent_at.replace(tzinfo=UTC)
        yield StoredMail(
            name=path.name,
            sent_at=sent_at,
            to=to,
            subject=str(parsed["Subject"] or ""),
            body=body_part.get_content() if body_part else "",
            workspace=str(parsed[WORKSPACE_HEADER] or ""),
            kind=str(parsed[KIND_HEADER] or ""),
        )
