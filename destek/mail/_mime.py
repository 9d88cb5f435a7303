"""Walking the MIME tree of a message: which parts are the body, which are attachments.

The rules, in the words of a mail reader:

- ``multipart/alternative`` holds versions of the same content; the text/plain version becomes
  the message text and the text/html version its HTML.
- ``multipart/related`` has one root (the body) and resources it refers to (inline images);
  the resources are attachments, marked inline when the HTML refers to them by ``cid:``.
- In every other multipart (mixed, report, signed …) each inline text part is a piece of the
  body, in order: Apple Mail puts text, image, text, PDF, text into one ``multipart/mixed``.
- A text part with a filename or ``Content-Disposition: attachment`` is an attachment; so is
  every non-text part, and every ``message/*`` part (an attached mail as ``.eml``, the
  machine-readable half of a bounce), which is never searched for body text of its own.
- A multipart without a usable boundary keeps its content as plain text rather than losing it.
"""

from __future__ import annotations

import binascii
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.generator import BytesGenerator
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from functools import lru_cache

from ._charset import decode_bytes, decode_surrogates
from ._headers import decode_words, header_text, unfold
from ._recover import MASK_PREFIX, unmask

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)

# Names for parts that arrive without one; a filename is what an agent downloads.
_EXTENSIONS = {
    "application/pdf": "pdf",
    "application/zip": "zip",
    "application/pgp-encrypted": "pgp",
    "application/pgp-signature": "asc",
    "application/pkcs7-signature": "p7s",
    "application/pkcs7-mime": "p7m",
    "image/jpeg": "jpg",
    "image/jpg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "text/plain": "txt",
    "text/html": "html",
    "text/csv": "csv",
    "text/calendar": "ics",
    "text/rfc822-headers": "txt",
    "message/rfc822": "eml",
    "message/delivery-status": "txt",
    "message/disposition-notification": "txt",
    "video/quicktime": "mov",
}


@dataclass
class Part:
    """An attachment as found in the tree, before it becomes a ``ParsedAttachment``."""

    filename: str
    content_type: str
    data: bytes
    content_id: str | None
    disposition: str | None


@dataclass
class Body:
    """What the walk collects: body pieces in order, attachments, and what went wrong."""

    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)


def walk(message: Message, headers: Mapping[str, list[str]], linesep: str) -> Body:
    """Collect the body and attachments of ``message`` (see the module docstring); ``headers``
    are its top-level headers by lower-cased name, which the caller has already read."""
    body = Body()
    root = {name: values[0] for name, values in headers.items() if name in _MIME_HEADERS}
    _visit(message, body, as_body=True, linesep=linesep, raw=root)
    return body


_MIME_HEADERS = frozenset(
    {"content-type", "content-disposition", "content-transfer-encoding", "content-id"}
)


@dataclass
class _PartHeaders:
    """The MIME headers of one part, read once. The stdlib's ``get_param`` and friends scan
    every header on each call, which dominated the parse time of a typical message."""

    content_type: str
    params: dict[str, str]
    disposition: str | None
    has_filename: bool
    encoding: str
    content_id: str | None

    @classmethod
    def of(cls, part: Message, raw: dict[str, str] | None = None) -> _PartHeaders:
        if raw is None:
            raw = {}
            for name, value in part.raw_items():
                raw.setdefault(name.lower(), str(value))
        content_type, params = split_params(raw.get("content-type"))
        if "/" not in content_type:  # missing or broken: RFC 2045's default (mail087)
            content_type = part.get_default_type()
        disposition, disposition_params = split_params(raw.get("content-disposition"))
        names = params.keys() | disposition_params.keys()
        return cls(
            content_type=content_type.removeprefix(MASK_PREFIX),
            params=params,
            disposition=disposition or None,
            has_filename=any(n.startswith(("name", "filename")) for n in names),
            encoding=unfold(raw.get("content-transfer-encoding", "")).strip().lower(),
            content_id=_content_id(raw.get("content-id")),
        )


def _visit(
    part: Message, body: Body, *, as_body: bool, linesep: str, raw: dict[str, str] | None = None
) -> None:
    headers = _PartHeaders.of(part, raw)
    content_type = headers.content_type
    maintype = content_type.partition("/")[0]
    if maintype == "message":
        body.parts.append(_message_part(part, headers, linesep))
        return
    if part.is_multipart():
        children = [c for c in _payload_list(part) if isinstance(c, Message)]
        for index, child in enumerate(children):
            root_only = content_type == "multipart/related" and index > 0
            _visit(child, body, as_body=as_body and not root_only, linesep=linesep)
        return
    if maintype == "multipart":  # no boundary found: keep the content as text (mail105)
        body.defects.append("multipart-without-parts")
        content_type = "text/plain"
    filename = _filename(part) if headers.has_filename else None
    if (
        as_body
        and content_type in ("text/plain", "text/html")
        and filename is None
        and headers.disposition != "attachment"
    ):
        text = _text(part, headers, content_type, body)
        (body.plain if content_type == "text/plain" else body.html).append(text)
        return
    body.parts.append(
        Part(
            filename=filename or _fallback_name(content_type, len(body.parts) + 1),
            content_type=content_type,
            data=_payload_bytes(part, headers.encoding),
            content_id=headers.content_id,
            disposition=headers.disposition,
        )
    )


_QUOTED_PAIR = re.compile(r"\\(.)")
_PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^;]*)')


def split_params(value: str | None) -> tuple[str, dict[str, str]]:
    """``("text/plain", {"charset": "utf-8"})`` from a Content-Type-like header value.

    The value is lower-cased, parameter names too; parameter values are unquoted. RFC 2231
    parameters keep their raw form: filenames go through the stdlib, which decodes them.
    """
    if not value:
        return "", {}
    main, params = _split_params(value)
    return main, dict(params)


# Most parts' values repeat from mail to mail ("text/plain; charset=utf-8"): each is split once.
@lru_cache(maxsize=1024)
def _split_params(value: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    text = unfold(value)
    main, _, rest = text.partition(";")
    params: dict[str, str] = {}
    for match in _PARAM.finditer(";" + rest):
        param = match.group(2).strip()
        if param.startswith('"'):
            param = _QUOTED_PAIR.sub(r"\1", param[1:-1] if param.endswith('"') else param[1:])
        params.setdefault(match.group(1).lower(), param)
    return main.strip().lower(), tuple(params.items())


def _payload_list(part: Message) -> list:
    payload = part.get_payload()
    return payload if isinstance(payload, list) else []


def _payload_bytes(part: Message, encoding: str) -> bytes:
    """The decoded content of a leaf part; an unknown transfer encoding gives the raw bytes
    (mail043 says ``Content-Transfer-Encoding: utf-8``)."""
    if part.is_multipart():
        return b""
    if encoding == "base64":  # never held a masked Content-Type line: nothing to unmask
        return _decode_base64(str(part.get_payload()).encode("ascii", "ignore"))
    if encoding in _UU_ENCODINGS:
        return _decode_uu(str(part.get_payload()).encode("ascii", "ignore"))
    try:
        data = part.get_payload(decode=True)
    except (ValueError, TypeError, LookupError):
        data = None
    return unmask(data) if isinstance(data, bytes) else b""


_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]+")


def _decode_base64(data: bytes) -> bytes:
    """Base64 content; a truncated or badly padded one gives every complete byte it holds
    (the stdlib would give back the undecoded text, mail062)."""
    try:
        return binascii.a2b_base64(data)
    except binascii.Error:
        cleaned = _NOT_BASE64.sub(b"", data)
        cleaned = cleaned[: len(cleaned) - (len(cleaned) % 4 == 1)]
        return binascii.a2b_base64(cleaned + b"=" * (-len(cleaned) % 4))


_UU_ENCODINGS = frozenset({"x-uuencode", "uuencode", "uue", "x-uue"})


def _decode_uu(data: bytes) -> bytes:
    """uuencoded content, with or without its ``begin``/``end`` lines (mail078, issue #2464);
    the stdlib gives up without a ``begin`` line."""
    out = bytearray()
    for line in data.splitlines():
        if line.startswith(b"begin ") or not line.strip():
            continue
        if line.strip() in (b"end", b"`"):
            break
        try:
            out += binascii.a2b_uu(line)
        except binascii.Error:
            # Some encoders pad lines with garbage; the length byte says what counts.
            length = (((line[0] - 32) & 63) * 4 + 5) // 3
            try:
                out += binascii.a2b_uu(line[:length])
            except binascii.Error:
                continue
    return bytes(out)


def _text(part: Message, headers: _PartHeaders, content_type: str, body: Body) -> str:
    data = _payload_bytes(part, headers.encoding)
    charset = headers.params.get("charset")
    if charset is not None and not charset.isascii():
        charset = None
    if charset is None and content_type == "text/html":
        found = _META_CHARSET.search(data[:4096])
        charset = found.group(1).decode("ascii") if found else None
    text, fallback = decode_bytes(data, charset)
    if fallback:
        body.defects.append(f"charset-fallback:{(charset or 'none').lower()}")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _filename(part: Message) -> str | None:
    """The part's filename: RFC 2231 (``filename*``), plain, or RFC 2047-encoded in quotes."""
    try:
        name = part.get_filename()
    except (ValueError, TypeError, LookupError):
        name = None
    if name is None:
        return None
    name = unfold(decode_surrogates(str(name)))
    if "=?" in name:
        name = decode_words(name)
    name = name.strip().replace("\x00", "")
    return name or None


def _content_id(value: str | None) -> str | None:
    if value is None:
        return None
    cid = unfold(value).strip().strip("<>").strip()
    return cid or None


def _fallback_name(content_type: str, number: int) -> str:
    return f"attachment-{number}.{_EXTENSIONS.get(content_type, 'bin')}"


_MESSAGE_NAMES = {"message/rfc822": "message.eml", "message/delivery-status": "delivery-status.txt"}
_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _message_part(part: Message, headers: _PartHeaders, linesep: str) -> Part:
    """An attached message (or report) as bytes, named after its subject when it has one."""
    content_type = headers.content_type
    data = _message_bytes(part, headers, linesep)
    filename = _filename(part) if headers.has_filename else None
    if filename is None and content_type == "message/rfc822" and data:
        attached = BytesHeaderParser(policy=compat32).parsebytes(data)
        subject = header_text(decode_surrogates(raw_header(attached, "subject") or ""))
        if subject:
            filename = _UNSAFE_IN_FILENAME.sub(" ", subject).strip()[:150] + ".eml"
    if filename is None:
        filename = _MESSAGE_NAMES.get(content_type, "report.txt")
    return Part(
        filename=filename,
        content_type=content_type,
        data=data,
        content_id=headers.content_id,
        disposition=headers.disposition,
    )


class _HeaderPreservingGenerator(BytesGenerator):
    """Writes headers without refolding them, for the rare attached message the parser did
    parse (its Content-Type was folded, so masking missed it)."""

    def _write_headers(self, msg: Message) -> None:
        for name, value in msg.raw_items():
            text = f"{name}: {value}" if str(value).strip() else f"{name}:"
            self._fp.write(text.encode("ascii", "surrogateescape") + self._NL.encode("ascii"))
        self._fp.write(self._NL.encode("ascii"))


def _message_bytes(part: Message, headers: _PartHeaders, linesep: str) -> bytes:
    """The content of a ``message/*`` part (without the part's own headers)."""
    children = _payload_list(part)
    if not children:
        return _payload_bytes(part, headers.encoding)
    buffer = io.BytesIO()
    generator = _HeaderPreservingGenerator(buffer, mangle_from_=False, maxheaderlen=0)
    try:
        generator.flatten(part, linesep=linesep)
    except (ValueError, TypeError, LookupError, UnicodeError):
        return b""
    data = buffer.getvalue()
    nl = linesep.encode("ascii")
    return data[len(nl) :] if data.startswith(nl) else data.partition(nl + nl)[2]


_DSN_ACTION = re.compile(rb"^Action:[ \t]*([A-Za-z]+)", re.IGNORECASE | re.MULTILINE)


def delivery_actions(parts: list[Part]) -> list[str]:
    """The RFC 3464 ``Action`` of every recipient in the delivery reports among ``parts``."""
    return [
        action.decode("ascii").lower()
        for part in parts
        if part.content_type == "message/delivery-status"
        for action in _DSN_ACTION.findall(part.data)
    ]


def raw_header(message: Message, name: str) -> str | None:
    """The first raw value of header ``name`` (``get`` would wrap 8-bit values in ``Header``)."""
    for key, value in message.raw_items():
        if key.lower() == name:
            return str(value)
    return None
