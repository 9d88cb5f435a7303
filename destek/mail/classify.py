"""Telling machine mail apart from mail a person wrote (DESIGN §5, loop and noise guards).

Two questions, answered from headers alone:

- **Is it a bounce?** A delivery report: a DSN (``multipart/report; report-type=delivery-status``
  or a ``message/delivery-status`` part, RFC 3464), an Exim ``X-Failed-Recipients`` notice, or a
  plain-text "Undelivered Mail" from ``MAILER-DAEMON``/``postmaster``. A bounce is never a
  customer message nor a new ticket; a *failed* one marks the reply it answers as failed.
- **Is it automatic?** Anything Destek must not answer automatically (acknowledgements,
  notifications), because the other side is a machine and answering could start a mail loop or
  spam a list: ``Auto-Submitted`` other than ``no`` (RFC 3834), ``Precedence: bulk/junk/list``,
  ``X-Autoreply``/``X-Autorespond``, Exchange's ``X-Auto-Response-Suppress``, a mailing list
  (``List-Id``, ``List-Unsubscribe``), a ``mailer-daemon``/``no-reply`` sender, an empty
  ``Return-Path: <>``, an out-of-office subject, and every bounce. Automatic mail still becomes
  a ticket — a JIRA notification can be a real request — it just gets no automatic answer.

The workspace's own addresses and per-sender rate limits are the ingest's business (they need
the database); everything here is pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Local parts of senders nobody reads: "no-reply", "noreply+orders", "do_not_reply", VERP
# bounce addresses ("bounces+123-abc"), the mailer daemon and the postmaster.
_MACHINE_SENDER = re.compile(
    r"^(?:mailer-daemon|postmaster|no[-_.]?reply|do[-_.]?not[-_.]?reply|bounces?)(?:$|[-+._])",
    re.IGNORECASE,
)
_DAEMON_SENDER = re.compile(r"^(?:mailer-daemon|postmaster)(?:$|[-+._@])", re.IGNORECASE)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|returned mail|delivery status notification|delivery (?:has )?fail"
    r"|mail delivery (?:failed|system)|failure notice|non[- ]?delivery|unzustellbar"
    r"|nicht zugestellt|teslim edilemedi|iletilemedi",
    re.IGNORECASE,
)
_AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(?:auto(?:matic)?[- ]?reply|autoreply|auto-response|out of (?:the )?office"
    r"|otomatik yan[ıi]t|ofis d[ıi][şs][ıi]nda|abwesenheitsnotiz|automatische antwort)\s*:",
    re.IGNORECASE,
)
_BULK_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})
_SUPPRESS_VALUES = frozenset({"all", "oof", "autoreply"})
# RFC 3464 Action values, most decisive first: one failed recipient makes a failed report.
_ACTION_ORDER = ("failed", "delayed", "delivered", "relayed", "expanded")


@dataclass(frozen=True)
class MailSignals:
    """The facts of a message that classification looks at (header values as sent, ``None``
    when the header is absent; ``return_path`` is ``""`` for the null sender ``<>``)."""

    from_email: str | None = None
    return_path: str | None = None
    subject: str = ""
    content_type: str = "text/plain"
    report_type: str | None = None
    has_delivery_status: bool = False
    delivery_actions: Sequence[str] = ()
    auto_submitted: str | None = None
    precedence: str | None = None
    x_autoreply: str | None = None
    x_autorespond: str | None = None
    x_auto_response_suppress: str | None = None
    x_failed_recipients: str | None = None
    list_id: str | None = None
    list_unsubscribe: str | None = None


@dataclass(frozen=True)
class Classification:
    """The verdict: ``delivery_status`` is the RFC 3464 action of a DSN (``failed``,
    ``delayed``, ``delivered`` …), ``None`` when the message carries no machine-readable one;
    ``auto_reasons`` names every signal that made the message automatic."""

    is_bounce: bool
    is_auto: bool
    delivery_status: str | None
    auto_reasons: tuple[str, ...]


def classify(signals: MailSignals) -> Classification:
    """Classify one message (see the module docstring)."""
    bounce = is_bounce(signals)
    reasons = auto_reasons(signals)
    if bounce:
        reasons = ("bounce", *reasons)
    return Classification(
        is_bounce=bounce,
        is_auto=bool(reasons),
        delivery_status=delivery_status(signals.delivery_actions),
        auto_reasons=reasons,
    )


def is_bounce(signals: MailSignals) -> bool:
    """Whether the message is a delivery report rather than mail from a person."""
    if signals.content_type == "multipart/report" and _token(signals.report_type) == (
        "delivery-status"
    ):
        return True
    if signals.has_delivery_status or signals.x_failed_recipients is not None:
        return True
    local = _local_part(signals.from_email)
    if local is not None and _DAEMON_SENDER.match(local):
        return signals.return_path == "" or bool(_BOUNCE_SUBJECT.search(signals.subject))
    return False


def auto_reasons(signals: MailSignals) -> tuple[str, ...]:
    """Why the message must not get an automatic reply; empty for mail from a person."""
    reasons = []
    auto_submitted = _token(signals.auto_submitted)
    if auto_submitted is not None and auto_submitted != "no":
        reasons.append(f"auto-submitted:{auto_submitted}")
    precedence = _token(signals.precedence)
    if precedence in _BULK_PRECEDENCE:
        reasons.append(f"precedence:{precedence}")
    autoreply_headers = {"x-autoreply": signals.x_autoreply, "x-autorespond": signals.x_autorespond}
    for name, value in autoreply_headers.items():
        if value is not None and _token(value) not in ("no", "false", "0"):
            reasons.append(name)
    suppress = {v.strip().lower() for v in (signals.x_auto_response_suppress or "").split(",")}
    if suppress & _SUPPRESS_VALUES:
        reasons.append("x-auto-response-suppress")
    if signals.list_id is not None or signals.list_unsubscribe is not None:
        reasons.append("mailing-list")
    local = _local_part(signals.from_email)
    if local is not None and _MACHINE_SENDER.match(local):
        reasons.append("machine-sender")
    if signals.return_path == "":
        reasons.append("null-return-path")
    if _AUTO_REPLY_SUBJECT.match(signals.subject):
        reasons.append("auto-reply-subject")
    return tuple(reasons)


def delivery_status(actions: Sequence[str]) -> str | None:
    """The overall RFC 3464 action of a report: ``failed`` if any recipient failed, and so on."""
    seen = {a.strip().lower() for a in actions}
    return next((action for action in _ACTION_ORDER if action in seen), None)


def _token(value: str | None) -> str | None:
    """A header value's first word, lower-cased: ``auto-replied; owner=x`` → ``auto-replied``."""
    if value is None:
        return None
    return value.split(";", 1)[0].strip().lower()


def _local_part(address: str | None) -> str | None:
    if not address:
        return None
    return address.rpartition("@")[0] or address
