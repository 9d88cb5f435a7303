"""Marking the words a search matched in the original (unfolded) text, for result lists."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from destek.lib.turkish import fold

_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")


def _spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where the words of ``text`` that start with a term (both folded) are."""
    found = []
    for word in _WORD.finditer(text):
        folded = fold(word.group())
        if any(folded.startswith(term) if len(term) > 1 else folded == term for term in terms):
            found.append(word.span())
    return found


def highlight(text: str, terms: Sequence[str]) -> SafeString:
    """``text`` escaped, with every matching word in ``<mark>``: "Ödeme" is marked for the
    term "odeme", the original spelling kept."""
    parts, at = [], 0
    for start, end in _spans(text, terms):
        parts.append(escape(text[at:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    parts.append(escape(text[at:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


def snippet(text: str, terms: Sequence[str], width: int = 180) -> SafeString | None:
    """About ``width`` characters of ``text`` around its first matching word, highlighted;
    ``None`` when no word matches."""
    text = _SPACES.sub(" ", text).strip()
    spans = _spans(text, terms)
    if not spans:
        return None
    start = max(0, spans[0][0] - width // 3)
    if start:
        # Begin at a word boundary so the snippet doesn't open with half a word.
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[0][0] else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", spans[0][1], end)
        end = space if space > 0 else end
    body = highlight(text[start:end], terms)
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{body}{suffix}")  # noqa: S308 - body is escaped by highlight
