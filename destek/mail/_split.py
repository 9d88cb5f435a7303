"""A fast path to the stdlib parser's result for well-formed mail.

``email.feedparser`` reads a message line by line, and for every line of a part's body it asks
each enclosing multipart whether the line is its boundary. Most of a mail's lines are base64 or
text that starts with no ``--`` at all, so that question can be asked of the few lines that do:
:func:`split` finds them with ``str.find`` and takes everything between as one slice. A header
block is read with one regular expression per field (line by line, by the parser's own rules,
when something else is in it). Every search stops at the next line that could be a boundary, so
a mail is read a bounded number of times however many parts it has.

The result is the same ``compat32`` :class:`~email.message.Message` tree the stdlib builds
(headers, payloads, preambles, epilogues, default types), checked against it by
``tests/mail/test_split.py``. Wherever the stdlib would note a defect or take one of its rarer
paths (an envelope line, a header block without its blank line, a multipart without boundary or
end, doubled boundaries, ``message/*`` parts, a lone carriage return), :func:`split` returns
``None`` and the caller runs the stdlib parser, so unusual mail gets exactly its treatment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email import feedparser
from email.message import Message
from email.policy import compat32

from destek.mail._boundary import BoundaryPattern

# One header field whose lines all end with a newline: its name, then its value with the
# leading blanks of its first line left out.
_FIELD = re.compile(r"([\041-\071\073-\176]+):[ \t]*(.*\n(?:[ \t].*\n)*)")
_PLAIN_ENCODINGS = ("7bit", "8bit", "binary")
# Multiparts nested deeper than this are left to the stdlib (each level is a recursion here).
_MAX_DEPTH = 50


class _Doubt(Exception):  # noqa: N818 - not an error: the stdlib parser decides this mail
    """The mail needs one of the stdlib parser's rarer paths."""


def split(raw: bytes) -> Message | None:
    """The message ``message_from_bytes(raw, policy=compat32)`` gives, or ``None`` when the
    stdlib parser has to decide (it would note a defect or take one of its rarer paths)."""
    return split_text(raw.decode("ascii", "surrogateescape"))


def split_text(text: str) -> Message | None:
    """:func:`split` for the bytes decoded as the stdlib parser decodes them."""
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None  # a lone CR ends a line for the parser: left to it
    try:
        message, _end = _part(text, 0, (), None)
    except _Doubt:
        return None
    return message


def _line_end(text: str, start: int) -> int:
    newline = text.find("\n", start)
    return len(text) if newline < 0 else newline + 1


def _ends_level(line: str, enclosing: tuple[BoundaryPattern, ...]) -> bool:
    """Whether ``line`` is a boundary of an enclosing multipart: the part ends before it."""
    return any(pattern.match(line) for pattern in enclosing)


def _dashed_lines(text: str, start: int) -> Iterator[int]:
    """Where each line from ``start`` (a line's start) that begins with "--" begins."""
    if text.startswith("--", start):
        yield start
    found = text.find("\n--", start)
    while found >= 0:
        yield found + 1
        found = text.find("\n--", found + 3)


def _level_end(text: str, start: int, enclosing: tuple[BoundaryPattern, ...]) -> int:
    """Where the first line from ``start`` that ends this level begins (or the text's end)."""
    if enclosing:
        for line_start in _dashed_lines(text, start):
            if _ends_level(text[line_start : _line_end(text, line_start)], enclosing):
                return line_start
    return len(text)


def _without_line_end(text: str) -> str:
    """``text`` less its last line break (email.feedparser's NLCRE_eol)."""
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith(("\n", "\r")):
        return text[:-1]
    return text


def _part(
    text: str, start: int, enclosing: tuple[BoundaryPattern, ...], parent: Message | None
) -> tuple[Message, int]:
    """The part starting at ``start`` and where it ends (``FeedParser._parsegen``)."""
    message = Message(policy=compat32)
    if parent is not None:
        if parent.get_content_type() == "multipart/digest":
            raise _Doubt  # its parts default to message/rfc822
        parent.attach(message)
    start = _headers(text, start, enclosing, message)
    maintype = message.get_content_maintype()
    if maintype == "message":
        raise _Doubt  # an attached mail is parsed as a message of its own
    if maintype == "multipart":
        return message, _multipart(text, start, enclosing, message)
    end = _level_end(text, start, enclosing)
    message._payload = text[start:end]
    return message, end


def _headers(
    text: str, start: int, enclosing: tuple[BoundaryPattern, ...], message: Message
) -> int:
    """Read the header block into ``message``; where its body starts."""
    blank = _blank_line(text, start)
    if blank is not None:
        fields = []
        position = start
        while position < blank:
            field = _FIELD.match(text, position, blank)
            if field is None or field.group(1).startswith("--"):
                break  # something else in the block (or a boundary): line by line
            fields.append((field.group(1), field.group(2).rstrip("\r\n")))
            position = field.end()
        else:
            message._headers = fields
            return _line_end(text, blank)
    return _header_lines(text, start, enclosing, message)


def _blank_line(text: str, start: int) -> int | None:
    """Where the header block's closing blank line starts, if it comes before the next line
    that starts with "--" (a header block ends at its part's boundary at the latest; looking
    further would read the rest of the mail again for every part)."""
    if text.startswith(("\n", "\r\n"), start):
        return start
    dashes = text.find("\n--", start)
    end = len(text) if dashes < 0 else dashes + 1
    bare = text.find("\n\n", start, end)
    crlf = text.find("\n\r\n", start, end if bare < 0 else bare + 2)
    found = crlf if crlf >= 0 else bare
    return None if found < 0 else found + 1


def _header_lines(
    text: str, start: int, enclosing: tuple[BoundaryPattern, ...], message: Message
) -> int:
    """The header block read line by line, as the stdlib parser reads it."""
    position, size = start, len(text)
    current: list[str] = []
    first = True
    while position < size:
        end = _line_end(text, position)
        line = text[position:end]
        if line.startswith("--") and _ends_level(line, enclosing):
            break  # the part ends inside its header block: no body
        if not feedparser.headerRE.match(line):  # the stdlib's own test of a header line
            if line not in ("\n", "\r\n"):
                raise _Doubt  # no blank line after the headers
            position = end
            break
        position = end
        if line[0] in " \t":
            if first:
                raise _Doubt  # a continuation with nothing to continue
            current.append(line)
            continue
        first = False
        if current:
            _store(message, current)
        if line.startswith("From "):
            raise _Doubt  # an envelope line among the headers
        if line.find(":") == 0:
            raise _Doubt  # a header without a name
        current = [line]
    if current:
        _store(message, current)
    return position


def _store(message: Message, lines: list[str]) -> None:
    # compat32's header_source_parse.
    name, value = lines[0].split(":", 1)
    value = value.lstrip(" \t") + "".join(lines[1:])
    message._headers.append((name, value.rstrip("\r\n")))


def _multipart(
    text: str, start: int, enclosing: tuple[BoundaryPattern, ...], message: Message
) -> int:
    """Read a multipart's preamble, parts and epilogue; where it ends."""
    boundary = message.get_boundary()
    if boundary is None or "\n" in boundary or "\r" in boundary:
        raise _Doubt
    encoding = str(message.get("content-transfer-encoding", "8bit")).lower()
    if encoding not in _PLAIN_ENCODINGS:
        raise _Doubt
    if len(enclosing) >= _MAX_DEPTH:
        raise _Doubt  # the stdlib's own limits decide
    separator = "--" + boundary
    own = BoundaryPattern("", separator)
    inner = (*enclosing, own)
    size = len(text)

    # The preamble: up to the first line that is this multipart's boundary.
    line_start = None
    for candidate in _dashed_lines(text, start):
        line = text[candidate : _line_end(text, candidate)]
        if _ends_level(line, enclosing):
            raise _Doubt  # no start boundary
        matched = own.match(line)
        if matched is not None:
            if matched.group("end"):
                raise _Doubt  # the first boundary closes the multipart
            line_start = candidate
            break
    if line_start is None:
        raise _Doubt
    if line_start > start:
        message.preamble = _without_line_end(text[start:line_start])
    position = line_start

    while True:
        end = _line_end(text, position)
        line = text[position:end]
        if position >= size or _ends_level(line, enclosing):
            raise _Doubt  # no close boundary
        matched = own.match(line)
        if matched is None:
            raise _Doubt  # not reached: a part ends only at a boundary of its level or above
        if matched.group("end"):
            break
        position = end
        if position >= size:
            raise _Doubt
        following = text[position : _line_end(text, position)]
        if following.startswith("--") and _ends_level(following, inner):
            raise _Doubt  # boundaries in a row
        part, position = _part(text, position, inner, message)
        # RFC 2046: the line break before a boundary belongs to the boundary.
        if part.get_content_maintype() == "multipart":
            epilogue = part.epilogue
            if epilogue == "":
                part.epilogue = None
            elif epilogue is not None:
                part.epilogue = _without_line_end(epilogue)
        else:
            part._payload = _without_line_end(part._payload)

    # The close boundary; everything after it up to this level's end is the epilogue.
    position = end
    level_end = _level_end(text, position, enclosing)
    message.epilogue = text[position:level_end]
    return level_end
