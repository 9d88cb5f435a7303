"""destek/mail/_split.py gives the stdlib parser's own tree for well-formed mail, and gives way
(``None``) wherever the stdlib would note a defect or take a rarer path."""

from __future__ import annotations

from email import message_from_bytes
from email.message import Message
from email.policy import compat32

import pytest
from hypothesis import given
from hypothesis import strategies as st

from destek.mail._recover import _mask_message_parts, parse_message
from destek.mail._split import split, split_text

from .corpus import FIXTURES, require_corpus
from .test_parse_properties import PROPERTY_SETTINGS
from .test_parse_properties import message as junk_message


def tree(message: Message) -> tuple:
    """Everything the stdlib parser sets on a message, its parts included."""
    payload = message._payload
    return (
        message._headers,
        message._unixfrom,
        message.preamble,
        message.epilogue,
        message._default_type,
        message._charset,
        [type(defect).__name__ for defect in message.defects],
        [tree(part) for part in payload] if isinstance(payload, list) else payload,
    )


def same_as_stdlib(raw: bytes) -> bool:
    """Whether the fast path took ``raw``; fails if it gave a tree the stdlib wouldn't."""
    fast = split(raw)
    if fast is None:
        return False
    assert tree(fast) == tree(message_from_bytes(raw, policy=compat32)), raw
    return True


# --- generated mail, mostly well formed, with the edges the fast path must get right ---------

BOUNDARIES = ["sinir", "=_Part_1.2", "a:b", "x--", "--y", "b ", "ş"]
BODY_LINES = st.sampled_from(
    [
        "Merhaba,",
        "",
        " ",
        "-- ",
        "--",
        "--sinir-not-quite",
        "--sinir--x",
        "--sinirx",
        "Konu: bir satır",
        "From nobody",
        "PGh0bWw+PGJvZHk+w4fEn8Sxw7bFn8O8PC9ib2R5PjwvaHRtbD4=",
        "\tgirintili",
        "=C4=B0ade",
    ]
)


@st.composite
def header_lines(draw, content_type: str | None) -> list[str]:
    lines = []
    names = st.sampled_from(["Subject", "X-Ek", "To", "Date", "--x"])
    for name in draw(st.lists(names, max_size=4)):
        value = draw(st.sampled_from(["değer", "", "  boşluklu  ", "a\n devam", "a\n\tiki\n üç"]))
        lines.extend(f"{name}:{draw(st.sampled_from([' ', '', chr(9)]))}{value}".split("\n"))
    if content_type is not None:
        lines.append("Content-Type: " + content_type)
    if draw(st.integers(0, 9)) == 0:
        lines.append(draw(st.sampled_from([" devam", ":isimsiz", "From x", "iki nokta yok"])))
    if draw(st.integers(0, 9)) == 0:
        draw(st.randoms()).shuffle(lines)
    return lines


@st.composite
def entity(draw, depth: int = 0) -> list[str]:
    if depth < 3 and draw(st.booleans()):
        boundary = draw(st.sampled_from(BOUNDARIES))
        subtype = draw(st.sampled_from(["mixed", "alternative", "digest"]))
        lines = draw(header_lines(f'multipart/{subtype}; boundary="{boundary}"'))
        if draw(st.integers(0, 9)) == 0:
            lines.append("Content-Transfer-Encoding: base64")
        lines.append("")
        lines.extend(draw(st.lists(BODY_LINES, max_size=2)))  # preamble
        for child in draw(st.lists(st.deferred(lambda: entity(depth + 1)), max_size=3)):
            lines.append("--" + boundary + draw(st.sampled_from(["", " ", "\t "])))
            lines.extend(child)
        if draw(st.integers(0, 7)):
            lines.append("--" + boundary + "--" + draw(st.sampled_from(["", "  "])))
            lines.extend(draw(st.lists(BODY_LINES, max_size=2)))  # epilogue
        return lines
    content_type = draw(
        st.sampled_from([None, "text/plain; charset=utf-8", "text/html", "message/rfc822"])
    )
    lines = draw(header_lines(content_type))
    if draw(st.integers(0, 9)):
        lines.append("")
        lines.extend(draw(st.lists(BODY_LINES, max_size=4)))
    return lines


@st.composite
def mail(draw) -> bytes:
    separator = draw(st.sampled_from(["\r\n", "\n"]))
    text = separator.join(draw(entity()))
    if draw(st.booleans()):
        text += separator
    if draw(st.integers(0, 19)) == 0:
        text = text.replace("\n", "\r", 1)
    return text.encode("utf-8")


@PROPERTY_SETTINGS
@given(mail())
def test_generated_mail_gives_the_stdlib_tree_or_gives_way(raw):
    same_as_stdlib(raw)


@PROPERTY_SETTINGS
@given(junk_message())
def test_malformed_mail_gives_the_stdlib_tree_or_gives_way(raw):
    same_as_stdlib(_mask_message_parts(raw))


def test_the_generator_reaches_the_fast_path():
    # The property tests above would pass with a split() that always gave way.
    taken = 0

    @PROPERTY_SETTINGS
    @given(mail())
    def count(raw):
        nonlocal taken
        taken += same_as_stdlib(raw)

    count()
    assert taken > 50


# --- written out ---------------------------------------------------------------------------

NESTED = (
    "From: Ayşe <ayse@example.com>\r\n"
    "Subject: =?utf-8?q?=C4=B0ade?=\r\n"
    "  talebi\r\n"
    'Content-Type: multipart/mixed; boundary="dis"\r\n'
    "\r\n"
    "Bu bir MIME iletisidir.\r\n"
    "--dis\r\n"
    'Content-Type: multipart/alternative; boundary="ic"\r\n'
    "\r\n"
    "--ic\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Merhaba,\r\n"
    "-- \r\n"
    "--ic-degil\r\n"
    "--ic\r\n"
    "Content-Type: text/html\r\n"
    "\r\n"
    "<p>Merhaba</p>\r\n"
    "--ic--\r\n"
    "ic sonsöz\r\n"
    "--dis\r\n"
    "Content-Type: application/pdf; name=fatura.pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "JVBERi0xLjQK\r\n"
    "--dis--\r\n"
    "sonsöz\r\n"
).encode()


@pytest.mark.parametrize(
    "raw",
    [
        NESTED,
        NESTED.replace(b"\r\n", b"\n"),
        NESTED.rstrip(b"\r\n"),
        b"Subject: sadece bas\n",
        b"Subject: sadece bas",
        b"Subject: bos govde\n\n",
        b"\nGovde, bas yok\n",
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nSubject: bas bitmeden\n--b--\n',
        b'Content-Type: multipart/mixed; boundary="a:b"\n\n--a:b\n\nx\n--a:b--',
        b"Subject: \xc4\xb0ade\nX-Bos:\n\ngovde\n",
        b"Subject: karisik satir sonlari\n\r\n\ngovde\n",
    ],
)
def test_well_formed_mail_takes_the_fast_path(raw):
    assert same_as_stdlib(raw)


@pytest.mark.parametrize(
    "raw",
    [
        b"From MAILER-DAEMON Mon Mar 18 10:00:00 2024\nSubject: zarf\n\nx\n",
        b" devam\nSubject: x\n\ny\n",
        b"Subject: x\nbos satir yok\ngovde\n",
        b":isimsiz\n\nx\n",
        b"Subject: x\rTo: y\r\n\r\nlone CR\n",
        b'Content-Type: multipart/mixed; boundary="b"\n\nhic sinir yok\n',
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\n\nkapanis yok\n',
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b--\n',
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\n--b\n\nx\n--b--\n',
        b"Content-Type: multipart/mixed\n\nsinir tanimsiz\n",
        b'Content-Type: multipart/mixed; boundary="b"\nContent-Transfer-Encoding: base64\n\n'
        b"--b\n\nx\n--b--\n",
        b"Content-Type: message/rfc822\n\nSubject: ic\n\nx\n",
        b'Content-Type: multipart/digest; boundary="b"\n\n--b\n\nx\n--b--\n',
    ],
)
def test_unusual_mail_is_left_to_the_stdlib(raw):
    assert split(raw) is None
    assert parse_message(raw)[0] is not None


def test_fixture_mail_gives_the_stdlib_tree():
    paths = FIXTURES.glob("*.eml")
    taken = [same_as_stdlib(_mask_message_parts(path.read_bytes())) for path in paths]
    assert sum(taken) >= len(taken) // 2


def test_corpus_mail_gives_the_stdlib_tree():
    folder = require_corpus()
    paths = folder.glob("mail*.box")
    taken = [same_as_stdlib(_mask_message_parts(path.read_bytes())) for path in paths]
    assert len(taken) == 106
    assert sum(taken) >= 60, sum(taken)


class _CountingText(str):
    """Text that adds up how much of itself ``find`` read: up to the match, or its whole
    range when nothing matched."""

    searched = 0

    def find(self, sub, start=0, end=None):  # noqa: ANN001, ANN201 - str's own signature
        stop = len(self) if end is None else min(end, len(self))
        found = super().find(sub, start, stop)
        _CountingText.searched += max(0, (stop if found < 0 else found + len(sub)) - start)
        return found


@pytest.mark.parametrize("shape", ["parts-without-bodies", "long-bodies", "deep"])
def test_the_fast_path_reads_a_mail_a_bounded_number_of_times(shape):
    # Searching each part's header block to the end of the mail made a mail of many small
    # parts quadratic (minutes for a few megabytes, where the stdlib takes a fraction of a
    # second): every search now stops at the next line that could be a boundary.
    if shape == "parts-without-bodies":
        body = "".join("--b\nX-A: 1\n" for _ in range(2000)) + "--b--\n" + "x" * 200_000
    elif shape == "long-bodies":
        part = "--b\nContent-Type: text/plain\n\n" + "satır -- değil\n-- \n" * 50 + "\n"
        body = part * 500 + "--b--\n"
    else:
        body = "".join(
            f'--b{n}\nContent-Type: multipart/mixed; boundary="b{n + 1}"\n\n' for n in range(60)
        )
        body = body[len("--b0\n") :]
    text = _CountingText(
        'Subject: x\nContent-Type: multipart/mixed; boundary="b"\n\n' + body
        if shape != "deep"
        else 'Content-Type: multipart/mixed; boundary="b1"\n\n' + body
    )
    _CountingText.searched = 0
    split_text(text)
    assert _CountingText.searched <= 4 * len(text)


def test_a_fault_of_the_fast_path_leaves_the_mail_to_the_stdlib(monkeypatch, caplog):
    from destek.mail import _split

    def broken(raw: bytes) -> None:
        raise IndexError("a bug of ours")

    monkeypatch.setattr(_split, "split", broken)
    message, recoveries = parse_message(NESTED)

    assert tree(message) == tree(message_from_bytes(NESTED, policy=compat32))
    assert recoveries == []
    assert "MIME fast path failed" in caplog.text
