"""Decoding header values by hand, the fast path of DESIGN §9.

The stdlib's header registry (``policy.default``) costs milliseconds per message; these helpers
work on the raw strings that ``compat32`` keeps and are lenient where real mail is broken:
8-bit bytes in headers, encoded words in the wrong places, commas inside encoded display names,
garbage around addresses.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_tz
from functools import lru_cache

from ._charset import decode_bytes, decode_surrogates

# An RFC 2047 encoded word: ASCII only. The text part is lenient (real mailers put spaces in
# it, mail050); it can't contain "?" so a word never swallows its neighbour.
_ENCODED_WORD = re.compile(r"=\?([!->@-~]+)\?([bBqQ])\?([\t !->@-~]*)\?=")
_FOLD = re.compile(r"\r?\n(?=[ \t])|\r?\n")
_WHITESPACE = re.compile(r"\s+")
_LINE_BREAKS = re.compile(r"[\r\n]+")
# Collapsing only ASCII white space keeps an ideographic space in a Chinese name (mail031).
_ASCII_SPACES = re.compile(r"[ \t\r\n]+")
_Q_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")


def unfold(value: str) -> str:
    """Join a folded header value into one line (RFC 5322 §2.2.3)."""
    if "\n" not in value:
        return value
    return _FOLD.sub("", value)


def header_text(value: str | None) -> str:
    """A human-readable header (Subject, a display name): unfolded, 8-bit bytes and encoded
    words decoded."""
    if value is None:
        return ""
    text = decode_surrogates(unfold(value))
    if "=?" in text:
        text = decode_words(text)
    # Encoded words can smuggle in line breaks (mail027); a subject is one line.
    return _LINE_BREAKS.sub(" ", text).strip()


def decode_words(text: str) -> str:
    """Decode RFC 2047 encoded words in ``text``, leaving everything else as it is.

    Whitespace between two adjacent encoded words is dropped (RFC 2047 §6.2), and adjacent words
    in the same charset are decoded together, because mailers split multibyte characters across
    words.
    """
    out: list[str] = []
    pending: bytes = b""
    pending_charset = ""
    position = 0
    for match in _ENCODED_WORD.finditer(text):
        gap = text[position : match.start()]
        charset = match.group(1).split("*", 1)[0]  # RFC 2231 language suffix: =?utf-8*tr?Q?…
        data = _decode_word_payload(match.group(2), match.group(3))
        if pending and (gap == "" or gap.isspace()):
            if charset.lower() == pending_charset.lower():
                pending += data
            else:
                out.append(decode_bytes(pending, pending_charset)[0])
                pending, pending_charset = data, charset
        else:
            if pending:
                out.append(decode_bytes(pending, pending_charset)[0])
            out.append(gap)
            pending, pending_charset = data, charset
        position = match.end()
    if pending:
        out.append(decode_bytes(pending, pending_charset)[0])
    out.append(text[position:])
    return "".join(out)


def _decode_word_payload(encoding: str, payload: str) -> bytes:
    if encoding in "bB":
        cleaned = payload.strip().encode("ascii", "ignore")
        cleaned += b"=" * (-len(cleaned) % 4)
        try:
            return base64.b64decode(cleaned)
        except (binascii.Error, ValueError):
            return payload.encode("ascii", "ignore")
    raw = payload.replace("_", " ").encode("ascii", "surrogateescape")
    return _Q_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


# Tokens of an address list: quoted strings, comments, angle addresses, encoded words (kept
# whole so a comma inside one doesn't split the list, mail065), separators, and plain text.
_ADDRESS_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"?'
    r"|\((?:[^()\\]|\\.)*\)?"
    r"|<[^<>]*>?"
    r"|=\?[!->@-~]+\?[bBqQ]\?[\t !->@-~]*\?="
    r"|,"
    r"|[^\",(<=]+"
    r"|.",
    re.DOTALL,
)


def addresses(value: str | None) -> tuple[tuple[str, str], ...]:
    """The ``(display name, address)`` pairs of an address header, best effort.

    Addresses are lower-cased: the help desk identifies people by address, and no real mailbox
    treats case as significant. Entries without an address (``<>``, group names) are dropped.
    """
    if not value:
        return ()
    if type(value) is str and len(value) <= _REMEMBERED_LENGTH:
        return _remembered_addresses(value)
    return _addresses(value)


# The From and To of a support address's mail repeat from mail to mail (the same customers, the
# same support address): such values are parsed once per process. Longer lists are parsed each
# time, so the cache stays small.
_REMEMBERED_LENGTH = 500


@lru_cache(maxsize=4096)
def _remembered_addresses(value: str) -> tuple[tuple[str, str], ...]:
    return _addresses(value)


def _addresses(value: str) -> tuple[tuple[str, str], ...]:
    text = decode_surrogates(unfold(value))
    result = []
    for chunk in _split_address_list(text):
        name, email = _address(chunk)
        if email:
            result.append((name, email.lower()))
    return tuple(result)


def recipients(value: str | None) -> tuple[tuple[str, str], ...]:
    """Like :func:`addresses`, keeping only real addresses: ``To: Recipients`` (mail035) or
    ``To: xxx`` name nobody that could be answered or copied."""
    return tuple(pair for pair in addresses(value) if "@" in pair[1])


def sender(value: str | None) -> tuple[str, str] | None:
    """The author from a From header: the first entry with a real address (a second sender
    stands in for a broken first one, mail059; a stray ``From: [??????]`` line before the real
    one is skipped, mail017), else the first entry (``MAILER-DAEMON``), else ``None``."""
    found = addresses(value)
    return next((pair for pair in found if "@" in pair[1]), found[0] if found else None)


def _split_address_list(text: str) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    for token in _ADDRESS_TOKEN.findall(text):
        if token == ",":
            chunks.append([])
        else:
            chunks[-1].append(token)
    return [chunk for chunk in chunks if "".join(chunk).strip()]


def _address(tokens: list[str]) -> tuple[str, str]:
    tokens = _without_group_syntax(tokens)
    angle = next((i for i in range(len(tokens) - 1, -1, -1) if tokens[i][:1] == "<"), None)
    comments = [t for t in tokens if t[:1] == "("]
    if angle is not None:
        email = tokens[angle].strip("<>").strip()
        phrase = [t for t in tokens[:angle] if t[:1] != "("]
        name = _phrase(phrase)
    else:
        rest = "".join(t for t in tokens if t[:1] != "(").strip().strip("<>").strip()
        email, name = rest, ""
        if rest[:1] == '"' and rest[-1:] == '"' and "@" in rest:  # "a@b.c" with no address
            email = _unquote(rest[1:-1])
        elif _WHITESPACE.search(rest) and '"' not in rest:  # Test test@example.com (mail087)
            found = [word for word in rest.split() if "@" in word]
            if found:
                email = found[-1]
                name = _phrase([rest.replace(email, "", 1)])
        email = _WHITESPACE.sub(" ", email)
        at_comment = next((c for c in comments if "@" in c), None)
        if "@" not in email and at_comment is not None:  # Name (user@example.com), mail006
            name, email = _phrase([t for t in tokens if t[:1] != "("]), at_comment[1:-1]
            comments = []
    if not name and comments:
        name = _phrase([comments[0][1:-1]])
    return name, email.strip()


def _without_group_syntax(tokens: list[str]) -> list[str]:
    """Drop ``Group name:`` and ``;`` (RFC 5322 §3.4 groups, ``undisclosed-recipients:;``)."""
    cleaned = []
    for token in tokens:
        if token[:1] not in '"(<=' and (":" in token or ";" in token):
            if ":" in token and "@" not in token.split(":", 1)[0]:
                token = token.split(":", 1)[1]
            token = token.replace(";", "")
        cleaned.append(token)
    return cleaned


def _phrase(tokens: list[str]) -> str:
    """A display name from its tokens: quotes removed, encoded words decoded (also inside
    quotes, which is wrong but what many mailers send, mail098)."""
    parts = []
    for token in tokens:
        if token[:1] == '"':
            parts.append(_unquote(token[1:-1] if token.endswith('"') else token[1:]))
        else:
            parts.append(token)
    text = "".join(parts)
    if "=?" in text:
        text = decode_words(text)
    return _ASCII_SPACES.sub(" ", text).strip()


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


_MESSAGE_ID = re.compile(r"<([^<>]*)>")


def message_ids(value: str | None) -> tuple[str, ...]:
    """Every message id in a Message-ID / In-Reply-To / References header, without ``<>``.

    Ids without angle brackets are accepted when they look like ``local@domain``; empty ids are
    dropped, so messages with empty Message-ID headers can't be threaded together (mail095–097).
    """
    if not value:
        return ()
    text = decode_surrogates(unfold(value))
    found = [m.strip() for m in _MESSAGE_ID.findall(text)]
    if not found:
        found = [t for t in re.split(r"[\s,]+", text) if "@" in t]
    ids: list[str] = []
    for item in found:
        if item and item not in ids and not _WHITESPACE.search(item):
            ids.append(item)
    return tuple(ids)


def date(value: str | None) -> datetime | None:
    """The Date header as an aware datetime, ``None`` when absent or impossible (mail074).

    A date without a zone (or ``-0000``, "zone unknown") is taken as UTC.
    """
    if not value:
        return None
    try:
        parts = parsedate_tz(unfold(value).strip())
    except (ValueError, IndexError, TypeError, OverflowError):
        parts = None
    if parts is None:
        return None
    offset = parts[9] or 0
    try:
        zone = UTC if offset == 0 else timezone(timedelta(seconds=offset))
        return datetime(*parts[:6], tzinfo=zone)
    except (ValueError, OverflowError):
        return None
