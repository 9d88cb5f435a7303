"""Plain text from an HTML mail body, for mail that has no text/plain part.

The text is what an agent reads, what search indexes and what quote detection looks at, so
block elements become line breaks, ``<br>`` a newline, list items a dash; scripts, styles and
the ``<head>`` are dropped; entities are decoded. Links keep only their text. No attempt is made
at layout: tables come out one cell per line.

Regular expressions instead of ``html.parser``: this is text extraction, not sanitising (that is
nh3's job), and it is several times faster on the large newsletters that arrive HTML-only.
"""

from __future__ import annotations

import html
import re

_INVISIBLE = re.compile(
    r"<!--.*?(?:-->|$)|<(head|script|style|title|template|noscript|xml)\b[^>]*>.*?(?:</\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK = (
    "address|article|aside|blockquote|center|dd|div|dl|dt|fieldset|figure|footer|form|h[1-6]"
    "|header|hr|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul"
)
# "[^<>]*" rather than "[^>]*": an unclosed "<" must not make every later one scan to the end.
_LINE_BREAK = re.compile(rf"<(?:br|/?(?:{_BLOCK}))\b[^<>]*>", re.IGNORECASE)
# A list item starts a line with a dash; its end tag adds nothing (the next item's start does).
_LIST_ITEM = re.compile(r"<li\b[^<>]*>|(</li\s*>)", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z!?][^<>]*>")
_SOURCE_WHITESPACE = re.compile(r"\s+")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def html_to_text(document: str) -> str:
    """The readable text of an HTML document; never raises."""
    text = _INVISIBLE.sub(" ", document)
    # Line breaks in HTML source are plain white space; only tags make lines.
    text = _SOURCE_WHITESPACE.sub(" ", text)
    text = _LIST_ITEM.sub(lambda m: "" if m.group(1) else "\n- ", text)
    text = _LINE_BREAK.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
