"""Helpers for the inbound tests: a pipe-only mailbox and mail built to order."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from destek.accounts.models import Workspace
from destek.mail.models import Mailbox

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ADDRESS = "destek@anadolukahve.com.tr"


def make_mailbox(workspace: Workspace, address: str = ADDRESS, **fields: object) -> Mailbox:
    return Mailbox.objects.create(workspace=workspace, address=address, **fields)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def build_mail(
    *,
    subject: str = "Siparişim hâlâ gelmedi",
    text: str = "Merhaba, 3 gün önce verdiğim sipariş hâlâ kargoya verilmedi.\n",
    sender: str = "Zeynep Kaya <zeynep.kaya@musteri.test>",
    to: str = ADDRESS,
    cc: str | None = None,
    reply_to: str | None = None,
    message_id: str | None = "<siparis.1@musteri.test>",
    in_reply_to: str | None = None,
    references: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] = (),
    date: datetime | None = None,
) -> bytes:
    """A realistic UTF-8 mail, dated now unless ``date`` says otherwise; ``attachments`` are
    ``(filename, content type, bytes)``."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["Subject"] = subject
    msg["Date"] = format_datetime((date or datetime.now(UTC)).replace(microsecond=0))
    if message_id:
        msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(text)
    for filename, content_type, data in attachments:
        maintype, subtype = content_type.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def with_received(raw: bytes, hop: str) -> bytes:
    """The same mail as another relay delivers it: one more Received header in front."""
    received = f"Received: from {hop} by mx.anadolukahve.com.tr; Mon, 18 Mar 2024 10:06:00 +0300"
    return received.encode() + b"\n" + raw
