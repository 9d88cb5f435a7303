"""destek/mail/_boundary.py answers the MIME parser's boundary expression in plain Python: it
must match exactly the lines the regular expression matches, with the same groups."""

from __future__ import annotations

import re
from email import feedparser, message_from_bytes
from email.policy import compat32

from hypothesis import given
from hypothesis import strategies as st

from destek.mail import _boundary
from destek.mail._recover import parse_message

SEPARATORS = st.text(alphabet=st.sampled_from("ab=_-.:()+?*[]\\ \t'\"$^|0ş"), min_size=1)
PIECES = st.sampled_from(["--", "-", " ", "\t", "\r\n", "\r", "\n", "x", "=", ""])


def _expression(separator: str) -> str:
    # Written as email.feedparser writes it.
    return (
        "(?P<sep>" + re.escape(separator) + r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"
    )


def _same(separator: str, line: str) -> None:
    pattern = _expression(separator)
    expected = re.compile(pattern).match(line)
    ours = _boundary.compile_pattern(pattern)
    assert isinstance(ours, _boundary.BoundaryPattern)
    got = ours.match(line)
    assert (got is None) == (expected is None), (separator, line)
    if expected is not None:
        for name in (0, "sep", "end", "ws", "linesep"):
            assert got.group(name) == expected.group(name), (separator, line, name)
        assert got.group() == expected.group()
        assert got.group("end", "linesep") == expected.group("end", "linesep")


@given(SEPARATORS, st.lists(PIECES, max_size=6), st.booleans())
def test_matches_what_the_regular_expression_matches(separator, pieces, starts_right):
    line = ("--" + separator if starts_right else "") + "".join(pieces)
    _same("--" + separator, line)


def test_cases_at_the_edges():
    for line in [
        "--b",
        "--b\n",
        "--b\r\n",
        "--b\r",
        "--b--",
        "--b--\r\n",
        "--b-- \t\n",
        "--b \n\n",
        "--b\r\n\n",
        "--b\r\r",
        "--b---",
        "--bx",
        "--b -",
        "-b",
        "",
    ]:
        _same("--b", line)


def test_other_patterns_and_flags_go_to_re():
    assert _boundary.compile_pattern("a+") is re.compile("a+")
    assert _boundary.compile_pattern("(?P<sep>--b)x", re.I).flags & re.I
    not_escaped = "(?P<sep>a.b" + r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"
    assert isinstance(_boundary.compile_pattern(not_escaped), re.Pattern)


def test_the_parser_uses_it_and_gives_the_same_message():
    assert feedparser.re.compile is _boundary.compile_pattern
    raw = (
        b"From: a@b.test\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="sep (1)+?"\r\n\r\npreamble\r\n'
        b"--sep (1)+?\r\nContent-Type: text/plain\r\n\r\nmetin\r\n"
        b"--sep (1)+?  \r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n"
        b"--sep (1)+?--\r\nepilogue\r\n"
    )
    ours, _ = parse_message(raw)
    original = feedparser.re
    feedparser.re = re
    try:
        plain = message_from_bytes(raw, policy=compat32)
    finally:
        feedparser.re = original
    assert ours.as_bytes() == plain.as_bytes()
    assert (
        [part.get_payload() for part in ours.walk() if not part.is_multipart()]
        == [part.get_payload() for part in plain.walk() if not part.is_multipart()]
        == ["metin", "<p>x</p>"]
    )
    assert ours.preamble == plain.preamble == "preamble"
    assert ours.epilogue == plain.epilogue
