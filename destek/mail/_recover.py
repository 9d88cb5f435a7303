"""Getting a message object out of raw bytes, including broken ones.

The stdlib parser is strict about the header block: the first line that is neither a header nor
a continuation ends it, and everything after becomes the body. Two kinds of real mail trip it:
a forwarder that put a line of junk above the headers (mail068) and a mailer that folded long
headers without the leading whitespace (mail054). Both lose From, To and Subject. When that
happens the header block is repaired and parsed again; the repaired result is kept only if it
actually recovered a From header.

The parser also always parses ``message/*`` parts (an attached mail, the report half of a
bounce) into sub-messages, and can only give them back re-serialised, with whitespace changed.
Attached mails must come through byte for byte, so their ``Content-Type`` is masked before
parsing (``x-destek-message/rfc822``): the parser then keeps their raw content like any other
leaf, and :func:`unmask` restores the original text wherever the mask shows up again.
"""

from __future__ import annotations

import logging
import re
from email import message_from_bytes
from email.message import Message
from email.policy import compat32

from destek.mail import _boundary, _split

_boundary.install()

logger = logging.getLogger(__name__)

_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+[ \t]*:")
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_MESSAGE_TYPE = re.compile(rb"^(Content-Type:[ \t]*)(?=message/)", re.IGNORECASE | re.MULTILINE)
_MASK = b"x-destek-"
MASK_PREFIX = "x-destek-"
_ALREADY_MASKED = re.compile(rb"x-destek-message/", re.IGNORECASE)
_MASKED = re.compile(rb"x-destek-(?=(?i:message/))")


def strip_envelope(raw: bytes) -> bytes:
    """Drop the mbox ``From sender date`` envelope line that some stored messages start with."""
    if raw.startswith(b"From "):
        _, _, rest = raw.partition(b"\n")
        return rest
    return raw


def parse_message(raw: bytes) -> tuple[Message, list[str]]:
    """A ``compat32`` message for ``raw`` and the recoveries that were needed to get it."""
    raw = _mask_message_parts(raw)
    # Well-formed mail takes the fast path to the same tree (see _split).
    try:
        message = _split.split(raw)
    except Exception:  # a fault of the fast path must not cost the mail: the stdlib decides
        logger.exception("MIME fast path failed; the stdlib parser takes this mail")
        message = None
    if message is None:
        message = message_from_bytes(raw, policy=compat32)
    if message.get("From") is not None or not _stopped_early(message):
        return message, []
    repaired = _repair_header_block(raw)
    if repaired is None:
        return message, []
    second = message_from_bytes(repaired, policy=compat32)
    if second.get("From") is None:
        return message, []
    return second, ["header-block-repaired"]


def _mask_message_parts(raw: bytes) -> bytes:
    if b"essage/" not in raw and b"ESSAGE/" not in raw:  # cheap: most mail has no such part
        return raw
    if _ALREADY_MASKED.search(raw):  # the text already holds the mask; unmasking would not be exact
        return raw
    return _MESSAGE_TYPE.sub(rb"\1" + _MASK, raw)


def unmask(data: bytes) -> bytes:
    """Undo :func:`_mask_message_parts` in bytes taken from the parsed message."""
    if _MASK not in data:
        return data
    return _MASKED.sub(b"", data)


def _stopped_early(message: Message) -> bool:
    return any(type(d).__name__ == "MissingHeaderBodySeparatorDefect" for d in message.defects)


def _repair_header_block(raw: bytes) -> bytes | None:
    """Join non-header lines of the header block to the header above them, after dropping
    junk lines above the first header. ``None`` if there's nothing to repair."""
    end = _HEADER_END.search(raw)
    head, tail = (raw[: end.start()], raw[end.start() :]) if end else (raw, b"")
    lines = head.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines[:5]) if _HEADER_LINE.match(line)), None)
    if first is None:
        return None
    fixed = []
    for line in lines[first:]:
        if fixed and not _HEADER_LINE.match(line) and line[:1] not in (b" ", b"\t"):
            line = b" " + line
        fixed.append(line)
    return b"".join(fixed) + tail
