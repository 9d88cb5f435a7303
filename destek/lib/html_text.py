"""Pieces for pages whose many rows are built in Python (the queue, the ticket timeline).

Per row, ``format_html``, ``gettext`` and ``date_format`` each cost little, but a page of 50
tickets or 200 messages calls them thousands of times. Here text is escaped with the standard
library (the same result as ``django.utils.html.escape``), and what every row shares — the
translated labels, the month names — is worked out once per page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from html import escape as _escape

from django.utils.dates import MONTHS, MONTHS_3
from django.utils.translation import gettext

_NEWLINES = re.compile(r"\r\n|\r")
_PARAGRAPHS = re.compile(r"\n{2,}")


def esc(value: object) -> str:
    """``value`` as text inside HTML (an element's content or a quoted attribute)."""
    return _escape(str(value))


def linebreaks(text: str) -> str:
    """Escaped text in paragraphs with line breaks, as Django's ``linebreaks`` filter makes it."""
    paragraphs = _PARAGRAPHS.split(_NEWLINES.sub("\n", str(text)))
    return "\n\n".join(f"<p>{esc(part).replace(chr(10), '<br>')}</p>" for part in paragraphs)


class PageText:
    """Escaped translations and date parts of one page, each worked out once."""

    def __init__(self) -> None:
        self._cache: dict[object, str] = {}

    def text(self, source: str) -> str:
        """The translation of ``source`` (marked with ``gettext_noop`` where it is written)."""
        return self.once(("text", source), lambda: gettext(source))

    def once(self, key: object, make: Callable[[], object]) -> str:
        """``make()`` as escaped text, made the first time ``key`` is asked for."""
        if key not in self._cache:
            self._cache[key] = esc(make())
        return self._cache[key]

    def long_date(self, local: datetime) -> str:
        """``date_format(local, "j F Y H:i")``: "23 Kasım 2026 14:05"."""
        month = self.once(("F", local.month), lambda: MONTHS[local.month])
        return f"{local.day} {month} {local.year} {local:%H:%M}"

    def short_date(self, local: datetime) -> str:
        """``date_format(local, "j M H:i")``: "23 Kas 14:05"."""
        month = self.once(("M", local.month), lambda: MONTHS_3[local.month].title())
        return f"{local.day} {month} {local:%H:%M}"
