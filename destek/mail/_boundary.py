"""A faster boundary test for the stdlib's MIME parser.

``email.feedparser`` compiles a new regular expression for every multipart it meets, from the
part's boundary. Boundaries are unique, so ``re``'s cache never helps, and on our mail compiling
them took about a third of the parser's time. :func:`install` gives the parser module a ``re``
whose ``compile`` recognises exactly that pattern and answers it with :class:`BoundaryPattern`,
which matches the same lines with the same groups in plain Python (checked against the regular
expression by ``tests/mail/test_boundary.py``); every other pattern goes to ``re`` unchanged.
"""

from __future__ import annotations

import re
import types
from email import feedparser

_PREFIX = "(?P<sep>"
_SUFFIX = r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)


class BoundaryMatch:
    """What ``match`` of the boundary expression returns, for the groups the parser reads."""

    __slots__ = ("_groups", "_whole")

    def __init__(self, whole: str, groups: dict[str, str | None]) -> None:
        self._whole = whole
        self._groups = groups

    def group(self, *names: str | int) -> str | None | tuple[str | None, ...]:
        if not names:
            return self._whole
        if len(names) == 1:
            return self._one(names[0])
        return tuple(self._one(name) for name in names)

    def _one(self, name: str | int) -> str | None:
        return self._whole if name == 0 else self._groups[name]  # type: ignore[index]


class BoundaryPattern:
    """``(?P<sep>SEPARATOR)(?P<end>--)?(?P<ws>[ \\t]*)(?P<linesep>\\r\\n|\\r|\\n)?$``."""

    __slots__ = ("pattern", "separator")

    def __init__(self, pattern: str, separator: str) -> None:
        self.pattern = pattern
        self.separator = separator

    def match(self, line: str) -> BoundaryMatch | None:
        separator = self.separator
        if not line.startswith(separator):
            return None
        start = len(separator)
        end = None
        if line.startswith("--", start):
            end = "--"
            start += 2
        # Backtracking can't help: without "--" the line goes on with "-", which nothing after
        # matches; whitespace given back could match neither a line ending nor the end.
        stop = start
        while stop < len(line) and line[stop] in " \t":
            stop += 1
        rest = line[stop:]
        if rest.startswith("\r\n"):
            linesep = "\r\n"
        elif rest[:1] in ("\r", "\n"):
            linesep = rest[0]
        else:
            linesep = None
        after = rest[len(linesep or "") :]
        if after not in ("", "\n"):  # "$" is the end, or just before a last newline
            return None
        whole = line[: stop + len(linesep or "")]
        groups = {"sep": separator, "end": end, "ws": line[start:stop], "linesep": linesep}
        return BoundaryMatch(whole, groups)


def compile_pattern(pattern: str | bytes, flags: int = 0) -> object:
    """``re.compile``, except for the parser's boundary expression."""
    if (
        not flags
        and isinstance(pattern, str)
        and pattern.startswith(_PREFIX)
        and pattern.endswith(_SUFFIX)
    ):
        escaped = pattern[len(_PREFIX) : -len(_SUFFIX)]
        separator = _UNESCAPE.sub(r"\1", escaped)
        if re.escape(separator) == escaped:
            return BoundaryPattern(pattern, separator)
    return re.compile(pattern, flags)


def install() -> None:
    """Give ``email.feedparser`` the ``re`` with the boundary shortcut (once per process)."""
    if getattr(feedparser.re, "compile", None) is compile_pattern:
        return
    module = types.ModuleType("re")
    module.__dict__.update(re.__dict__)
    module.compile = compile_pattern
    feedparser.re = module
