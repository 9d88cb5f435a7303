"""Reading a delivery report (DSN, RFC 3464) for what it is about: pure, no database.

A bounce names the mail it returns in its own ``In-Reply-To``/``References`` (rare), or in the
copy of the original it carries: a ``message/rfc822`` part (whole message) or a
``text/rfc822-headers`` part (headers only). Some servers quote the headers in the text instead.
"""

from __future__ import annotations

import re

from destek.mail.parse import ParsedEmail

_RETURNED_PARTS = {"message/rfc822", "text/rfc822-headers", "message/rfc822-headers"}
# A Message-ID header line, possibly folded onto the next line.
_MESSAGE_ID_HEADER = re.compile(
    rb"^Message-ID:[ \t]*(?:\r?\n[ \t]+)?<([^<>\s]+)>", re.IGNORECASE | re.MULTILINE
)
_DIAGNOSTIC = re.compile(rb"^Diagnostic-Code:[ \t]*(?:[a-z0-9-]+;)?[ \t]*(.+)$", re.I | re.M)
_STATUS = re.compile(rb"^Status:[ \t]*([245]\.\d{1,3}\.\d{1,3})", re.IGNORECASE | re.MULTILINE)
_RECIPIENT = re.compile(rb"^Final-Recipient:[ \t]*(?:[a-z0-9-]+;)?[ \t]*(\S+)", re.I | re.M)
_DELAYED_SUBJECT = re.compile(r"delay|still being retried|gecikme", re.IGNORECASE)
_MAX_REASON = 500


def is_failure(parsed: ParsedEmail) -> bool:
    """A bounce that says the mail will not arrive. A DSN says so with ``Action: failed``; an
    old-style notice without a machine-readable action counts as failed unless it announces a
    delay ("still being retried")."""
    if not parsed.is_bounce:
        return False
    if parsed.delivery_status is not None:
        return parsed.delivery_status == "failed"
    return not _DELAYED_SUBJECT.search(parsed.subject)


def returned_message_ids(parsed: ParsedEmail) -> list[str]:
    """Message-IDs (without ``<>``) of the mail the bounce returns, most reliable first."""
    found = list(parsed.thread_ids)
    for attachment in parsed.attachments:
        if attachment.content_type in _RETURNED_PARTS:
            found += _header_ids(attachment.data)
    found += _header_ids(parsed.text.encode("utf-8", "replace"))
    return list(dict.fromkeys(found))


def _header_ids(data: bytes) -> list[str]:
    return [match.decode("ascii", "replace") for match in _MESSAGE_ID_HEADER.findall(data)]


def reason(parsed: ParsedEmail) -> str:
    """What the receiving server said, for the agent: ``5.1.1 … 550 5.1.1 User unknown``."""
    for attachment in parsed.attachments:
        if attachment.content_type != "message/delivery-status":
            continue
        parts = []
        for pattern in (_RECIPIENT, _STATUS, _DIAGNOSTIC):
            match = pattern.search(attachment.data)
            if match:
                parts.append(match.group(1).decode("utf-8", "replace").strip())
        if parts:
            return " ".join(parts)[:_MAX_REASON]
    # No report part: the first lines of the notice that look like an error.
    lines = [line.strip() for line in parsed.text.splitlines() if line.strip()]
    errors = [line for line in lines if re.search(r"\b[45]\d\d\b|[45]\.\d\.\d", line)]
    return " ".join(errors[:2] or lines[:2] or [parsed.subject])[:_MAX_REASON]
