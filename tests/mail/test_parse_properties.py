"""Property-based tests: random MIME trees and malformed headers never make the parser raise.

The generator writes the bytes by hand rather than through the ``email`` package, so it can
produce what real mailers get wrong: boundaries that never appear or never close, encoded words
with unknown charsets and broken base64, 8-bit bytes in headers, RFC 2231 parameters cut in
half, bare LF next to CRLF, headers without a colon.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from destek.mail.parse import MailParseError, ParsedEmail, parse_email
from destek.mail.quotes import split_reply

# Bounded and reproducible: the same examples on every run, no database of failures written
# into the repository, no time limit per example (CI machines are slow at times).
PROPERTY_SETTINGS = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TURKISH = "çğıöşüÇĞİÖŞÜâî"
CHARSETS = ["utf-8", "iso-8859-9", "windows-1254", "latin5", "us-ascii", "x-unknown", "utf-7", ""]
ENCODINGS = ["7bit", "8bit", "base64", "quoted-printable", "x-uuencode", "binary", "bogus", ""]
CONTENT_TYPES = [
    "text/plain",
    "text/html",
    "text/calendar",
    "image/png",
    "application/pdf",
    "application/ms-tnef",
    "application/octet-stream",
    "message/rfc822",
    "message/delivery-status",
    "text/rfc822-headers",
    "garbage",
    "",
]
HEADER_NAMES = [
    "From",
    "To",
    "Cc",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Return-Path",
    "Auto-Submitted",
    "Precedence",
    "X-Autoreply",
    "List-Id",
    "Received",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Content-Disposition",
    "Content-ID",
]

text = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(TURKISH), max_size=40)
raw_bytes = st.binary(max_size=60)


@st.composite
def encoded_word(draw) -> bytes:
    charset = draw(st.sampled_from(CHARSETS))
    kind = draw(st.sampled_from("BbQqX"))
    payload = draw(st.binary(max_size=30) | text.map(lambda t: t.encode("utf-8", "replace")))
    return b"=?" + charset.encode() + b"?" + kind.encode() + b"?" + payload + b"?="


@st.composite
def address(draw) -> bytes:
    name = draw(text).encode("utf-8", "replace")
    local = draw(st.sampled_from([b"zeynep", b"no-reply", b"MAILER-DAEMON", b"", b'"a b"']))
    domain = draw(st.sampled_from([b"musteri.test", b"", b"[127.0.0.1]", b"xn--mteri-kva.test"]))
    form = draw(st.integers(0, 4))
    if form == 0:
        return local + b"@" + domain
    if form == 1:
        return draw(encoded_word()) + b" <" + local + b"@" + domain + b">"
    if form == 2:
        return b'"' + name + b'" <' + local + b"@" + domain
    if form == 3:
        return name + b" (" + local + b"@" + domain + b")"
    return b",".join(draw(st.lists(st.sampled_from([b"a@b", b"<>", b"@", b";", b"x"]), max_size=4)))


@st.composite
def header_value(draw) -> bytes:
    pieces = draw(
        st.lists(
            st.one_of(
                text.map(lambda t: t.encode("utf-8", "replace")),
                text.map(lambda t: t.encode("cp1254", "replace")),
                encoded_word(),
                address(),
                raw_bytes,
                st.just(b"<id.1@x.test> <id.2@x.test>"),
                st.just(b"; filename*=utf-8''%C4%B0ade%20formu.pdf; filename*0*=iso-8859-9''%DD"),
            ),
            max_size=4,
        )
    )
    return draw(st.sampled_from([b" ", b"\r\n\t", b"\n ", b""])).join(pieces)


@st.composite
def header_block(draw, content_type: bytes) -> list[bytes]:
    lines = [
        name.encode() + b": " + draw(header_value())
        for name in draw(
            st.lists(
                st.sampled_from(HEADER_NAMES)
                | text.map(lambda t: t.encode("utf-8", "replace").decode("latin-1")),
                max_size=8,
            )
        )
    ]
    lines.append(b"Content-Type: " + content_type)
    if draw(st.booleans()):
        lines.append(b"Content-Transfer-Encoding: " + draw(st.sampled_from(ENCODINGS)).encode())
    if draw(st.booleans()):
        lines.append(b"no colon in this header line " + draw(raw_bytes))
    return lines


@st.composite
def mime_part(draw, depth: int = 0) -> list[bytes]:
    """The lines of one MIME entity: a leaf with random content, or a multipart of them."""
    if depth < 3 and draw(st.integers(0, 3)) == 0:
        boundary = draw(st.sampled_from([b"sinir", b"=_a", b"", b"x" * 80, b"\xc4\xb1"]))
        subtype = draw(st.sampled_from([b"mixed", b"alternative", b"related", b"report", b"x"]))
        lines = draw(header_block(b"multipart/" + subtype + b'; boundary="' + boundary + b'"'))
        lines.append(b"")
        for child in draw(st.lists(st.deferred(lambda: mime_part(depth + 1)), max_size=3)):
            lines.append(b"--" + draw(st.sampled_from([boundary, b"yanlis-sinir"])))
            lines.extend(child)
        if draw(st.booleans()):
            lines.append(b"--" + boundary + b"--")
        return lines
    content_type = draw(st.sampled_from(CONTENT_TYPES)).encode()
    charset = draw(st.sampled_from(CHARSETS)).encode()
    name = draw(st.one_of(st.just(b""), encoded_word().map(lambda w: b'; name="' + w + b'"')))
    lines = draw(header_block(content_type + b"; charset=" + charset + name))
    lines.append(b"")
    body = draw(
        st.one_of(
            raw_bytes,
            text.map(lambda t: t.encode("utf-8", "replace")),
            text.map(lambda t: t.encode("iso-8859-9", "replace")),
            st.just(b"PGh0bWw+PGJvZHk+w4fEn8Sxw7bFn8O8PC9ib2R5PjwvaHRtbD4=\n====\n"),
            st.just(b"=C4=B0ade =3D tutar=\n=ZZ bitti="),
            st.just(b"<html><body><img src='cid:a@b'><script>x</script>"),
            st.just(b"begin 644 dosya.bin\n#86)C\n`\nend\n"),
        )
    )
    lines.extend(body.split(b"\n"))
    return lines


@st.composite
def message(draw) -> bytes:
    lines = draw(mime_part())
    separator = draw(st.sampled_from([b"\r\n", b"\n", b"\r"]))
    prefix = draw(st.sampled_from([b"", b"From MAILER-DAEMON Mon Mar 18 10:00:00 2024\n", b"\n"]))
    return prefix + separator.join(lines)


def check(raw: bytes) -> None:
    try:
        parsed = parse_email(raw)
    except MailParseError:
        assert not raw.strip()
        return
    assert isinstance(parsed, ParsedEmail)
    assert (parsed.size, parsed.raw_sha256) == (len(raw), hashlib.sha256(raw).hexdigest())
    assert isinstance(parsed.text, str) and isinstance(parsed.subject, str)
    assert parsed.from_email is None or parsed.from_email == parsed.from_email.lower()
    for attachment in parsed.attachments:
        assert attachment.size == len(attachment.data)
        assert attachment.sha256 == hashlib.sha256(attachment.data).hexdigest()
    visible, quoted = split_reply(parsed.text)
    assert isinstance(visible, str) and isinstance(quoted, str)
    assert parsed.sanitized_html is None or "<script" not in parsed.sanitized_html


@PROPERTY_SETTINGS
@given(message())
def test_random_mime_trees_never_make_the_parser_raise(raw):
    check(raw)


@PROPERTY_SETTINGS
@given(st.lists(st.tuples(st.sampled_from(HEADER_NAMES), header_value()), max_size=12), raw_bytes)
def test_malformed_headers_never_make_the_parser_raise(headers, body):
    raw = b"\r\n".join(name.encode() + b": " + value for name, value in headers) + b"\r\n\r\n"
    check(raw + body)


@PROPERTY_SETTINGS
@given(st.binary(min_size=1, max_size=400))
def test_any_bytes_parse_or_are_refused_as_empty(raw):
    check(raw)


@pytest.mark.parametrize("raw", [b"\r\n", b"   ", b"\n\n\t"])
def test_whitespace_only_is_refused_as_empty(raw):
    with pytest.raises(MailParseError):
        parse_email(raw)
