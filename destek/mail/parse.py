"""Raw RFC 822 bytes → :class:`ParsedEmail`, the first step of the mail pipeline (STYLE §2).

Pure: no database, no Django models, no network. The result is frozen so every later step
(threading, ingest) reads the same facts. Any input parses — broken mail gives the best result
possible and says what was wrong in ``defects`` — except input with no content at all, which
raises :class:`MailParseError`.

Speed matters here (DESIGN §9): the stdlib parser runs with ``compat32`` and headers are decoded
by hand in :mod:`destek.mail._headers`, several times faster than ``policy.default`` and its
header registry (``bench/parse_bench.py`` measures both).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from email.message import Message

from destek.lib.markup import sanitize_html

from . import _headers
from ._charset import decode_surrogates
from ._html import html_to_text
from ._mime import Body, delivery_actions, raw_header, split_params, walk
from ._recover import MASK_PREFIX, parse_message, strip_envelope
from .classify import MailSignals, classify

Address = tuple[str, str]
"""``(display name, address)``; the name is ``""`` when there is none."""


class MailParseError(ValueError):
    """The input holds no message at all (empty or only whitespace)."""


@dataclass(frozen=True)
class ParsedAttachment:
    """A file that came with the mail: a real attachment, or an inline image the HTML body shows
    through ``cid:`` (``inline``). ``data`` is exactly the decoded content of the part."""

    filename: str
    content_type: str
    data: bytes
    size: int
    sha256: str
    content_id: str | None
    inline: bool

    @classmethod
    def of(
        cls, *, filename: str, content_type: str, data: bytes, content_id: str | None, inline: bool
    ) -> ParsedAttachment:
        return cls(
            filename=filename,
            content_type=content_type,
            data=data,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            content_id=content_id,
            inline=inline,
        )


@dataclass(frozen=True)
class ParsedEmail:
    """Everything the help desk needs from one incoming mail.

    Ids (``message_id``, ``in_reply_to``, ``references``) are without ``<>``. Addresses are
    lower-cased. ``text`` is the whole plain-text body (derived from the HTML when the mail has
    no text part); ``html`` is the original, unsanitised HTML or ``None``. ``date`` is ``None``
    when the header is missing or impossible. ``defects`` lists what was broken or guessed.
    """

    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    subject: str
    from_name: str
    from_email: str | None
    reply_to: tuple[Address, ...]
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    date: datetime | None
    text: str
    html: str | None
    attachments: tuple[ParsedAttachment, ...]
    auto_submitted: str | None
    precedence: str | None
    x_autoreply: str | None
    list_id: str | None
    return_path: str | None
    is_bounce: bool
    is_auto: bool
    auto_reasons: tuple[str, ...]
    delivery_status: str | None
    raw_sha256: str
    size: int
    defects: tuple[str, ...]

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """Every id this mail answers (In-Reply-To first, then References), for threading."""
        ids = ((self.in_reply_to,) if self.in_reply_to else ()) + self.references
        return tuple(dict.fromkeys(ids))

    @property
    def sanitized_html(self) -> str | None:
        """The HTML body made safe to show (see :func:`destek.lib.markup.sanitize_html`)."""
        return None if self.html is None else sanitize_html(self.html)


def parse_email(raw: bytes) -> ParsedEmail:
    """Parse one raw message. Never raises for content; see the module docstring."""
    raw = bytes(raw)
    if not raw or raw.isspace():
        raise MailParseError("the message is empty")
    message, defects = parse_message(strip_envelope(raw))
    headers = _collect_headers(message)
    body = walk(message, headers, "\r\n" if b"\r\n" in raw[:4096] else "\n")
    text, html = _body_text(body)
    author = _headers.sender(_joined(headers, "from"))
    signals = _signals(headers, body, author)
    verdict = classify(signals)
    date = _headers.date(_first(headers, "date"))
    defects += _stdlib_defects(message) + body.defects + _header_defects(headers, author, date)
    ids = _headers.message_ids(_first(headers, "message-id"))
    return ParsedEmail(
        message_id=ids[0] if ids else None,
        in_reply_to=next(iter(_headers.message_ids(_first(headers, "in-reply-to"))), None),
        references=_headers.message_ids(_first(headers, "references")),
        subject=signals.subject,
        from_name=author[0] if author else "",
        from_email=signals.from_email,
        reply_to=_headers.recipients(_joined(headers, "reply-to")),
        to=_headers.recipients(_joined(headers, "to")),
        cc=_headers.recipients(_joined(headers, "cc")),
        date=date,
        text=text,
        html=html,
        attachments=_attachments(body, html),
        auto_submitted=signals.auto_submitted,
        precedence=signals.precedence,
        x_autoreply=signals.x_autoreply,
        list_id=signals.list_id,
        return_path=signals.return_path,
        is_bounce=verdict.is_bounce,
        is_auto=verdict.is_auto,
        auto_reasons=verdict.auto_reasons,
        delivery_status=verdict.delivery_status,
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        defects=tuple(dict.fromkeys(defects)),
    )


def _header_defects(
    headers: dict[str, list[str]], author: tuple[str, str] | None, date: datetime | None
) -> list[str]:
    found = []
    if author is None:
        found.append("missing-from")
    if date is None and _first(headers, "date") is not None:
        found.append("unparsable-date")
    return found


def _collect_headers(message: Message) -> dict[str, list[str]]:
    """Header values by lower-cased name, in order, with raw 8-bit bytes decoded.

    ``raw_items`` skips compat32's sanitising, which would turn every header with 8-bit bytes
    into a ``Header`` object; those bytes are decoded here once, so later steps see text.
    """
    headers: dict[str, list[str]] = {}
    hint: str | None = None
    for name, value in message.raw_items():
        text = str(value)
        if not text.isascii():
            hint = hint or _body_charset(message)
            text = decode_surrogates(text, hint)
        headers.setdefault(name.strip().lower(), []).append(text)
    return headers


def _body_charset(message: Message) -> str:
    """The first charset the message declares for a body part ("" when none)."""
    for part in message.walk():
        charset = split_params(raw_header(part, "content-type"))[1].get("charset", "")
        if charset and charset.isascii():
            return charset
    return ""


def _first(headers: dict[str, list[str]], name: str) -> str | None:
    values = headers.get(name)
    return values[0] if values else None


def _joined(headers: dict[str, list[str]], name: str) -> str | None:
    """An address header that may appear more than once (broken mailers repeat To)."""
    values = headers.get(name)
    return ", ".join(values) if values else None


def _plain(headers: dict[str, list[str]], name: str) -> str | None:
    value = _first(headers, name)
    return None if value is None else _headers.header_text(value)


def _return_path(value: str | None) -> str | None:
    if value is None:
        return None
    found = _headers.addresses(value)
    return found[0][1] if found else ""


def _body_text(body: Body) -> tuple[str, str | None]:
    html = "\n".join(body.html) if body.html else None
    text = "\n".join(part.rstrip("\n") + "\n" for part in body.plain if part.strip()).strip("\n")
    if not text and html is not None:
        text = html_to_text(html)
    return text, html


_CID_REFERENCE = re.compile(r"""cid:([^"'\s>)]+)""", re.IGNORECASE)


def _attachments(body: Body, html: str | None) -> tuple[ParsedAttachment, ...]:
    referenced = {m.lower() for m in _CID_REFERENCE.findall(html)} if html else set()
    return tuple(
        ParsedAttachment.of(
            filename=part.filename,
            content_type=part.content_type,
            data=part.data,
            content_id=part.content_id,
            inline=part.content_id is not None and part.content_id.lower() in referenced,
        )
        for part in body.parts
    )


def _signals(
    headers: dict[str, list[str]], body: Body, author: tuple[str, str] | None
) -> MailSignals:
    """What classification needs, taken from the headers and the walked body."""
    content_type, params = split_params(_first(headers, "content-type"))
    return MailSignals(
        from_email=author[1] if author else None,
        return_path=_return_path(_first(headers, "return-path")),
        subject=_headers.header_text(_first(headers, "subject")),
        content_type=content_type.removeprefix(MASK_PREFIX) or "text/plain",
        report_type=params.get("report-type"),
        has_delivery_status=any(p.content_type == "message/delivery-status" for p in body.parts),
        delivery_actions=delivery_actions(body.parts),
        auto_submitted=_plain(headers, "auto-submitted"),
        precedence=_plain(headers, "precedence"),
        x_autoreply=_plain(headers, "x-autoreply"),
        x_autorespond=_plain(headers, "x-autorespond"),
        x_auto_response_suppress=_plain(headers, "x-auto-response-suppress"),
        x_failed_recipients=_plain(headers, "x-failed-recipients"),
        list_id=_plain(headers, "list-id"),
        list_unsubscribe=_plain(headers, "list-unsubscribe"),
    )


def _stdlib_defects(message: Message) -> list[str]:
    """The parser's own complaints (missing boundaries …) as readable names."""
    found = []
    for part in message.walk():
        for defect in part.defects:
            name = re.sub(r"(?<!^)(?=[A-Z])", "-", type(defect).__name__).lower()
            found.append(name.removesuffix("-defect"))
    return found
