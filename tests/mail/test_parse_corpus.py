"""The parser against 106 real-world messages and the results Zammad's parser expects for them.

Each field is compared strictly. Where Zammad's expectation records one of its quirks, or where
we deliberately do something else, the difference is listed below with the value we produce
and why; such an entry must still be a difference (a stale entry fails), and our value is
asserted exactly. See ``shared/corpus/zammad-mail/README.md`` for what each message exercises.
"""

from __future__ import annotations

import functools
import hashlib
import html
import inspect
import re
from email.utils import getaddresses
from pathlib import Path
from typing import Any

import pytest

from destek.mail.parse import ParsedEmail, parse_email

from .corpus import CORPUS, box_id, corpus_boxes, expected, require_corpus

BOXES = corpus_boxes()

# Field differences: (message, field) -> (our value, why it differs from Zammad's).
FIELD_DIFFERENCES: dict[tuple[str, str], tuple[Any, str]] = {
    ("mail016", "from_email"): (None, "no From header; Zammad invents one from Reply-To"),
    ("mail019", "from_email"): (None, "no From header; Zammad invents one from Reply-To"),
    ("mail035", "from_email"): (
        "finances8@firstfinanceloanfirm.example.com",
        'From is only a quoted "addr"; Zammad keeps the quotes in the address',
    ),
    ("mail076", "from_email"): (
        '"millions lottery spain transfer"@example.com',
        "garbage From with a stray '>'; Zammad keeps the '>' in the address",
    ),
    ("mail076", "from_display_name"): ("", "the garbage has no display name; Zammad makes one"),
    ("mail087", "from_email"): ("test@example.com", "From: 'Test test@example.com', no <>"),
    ("mail087", "from_display_name"): ("Test", "the word before the bare address is the name"),
    ("mail065", "from_display_name"): (
        "Bürling, Andreas",
        "a comma inside an encoded word is not a list separator; Zammad splits there",
    ),
    ("mail046", "from_display_name"): (
        "ÎäÀ¼³É",
        "raw GB2312 bytes, body labelled ISO-8859-1: both guesses are wrong (the name is "
        "武兰成); we read unlabelled header bytes as the body's charset, Zammad as ISO-8859-2",
    ),
    ("mail046", "subject"): (
        "×ª·¢£ºÕûÌåÌáÉýÆóÒµ·þÎñË®Æ½",
        "raw GB2312 bytes read as the body's ISO-8859-1; Zammad detects GB2312 statistically",
    ),
    ("mail018", "subject"): (
        "Benachrichtung  \tzum  \tÜbermittlungsstatus  \t(Fehlgeschlagen)",
        "a UTF-7 encoded word; Zammad leaves it undecoded",
    ),
    ("mail006", "to"): (
        (("Namedyński", "hans@example.com"),),
        "'Name (addr)': the address is in the comment; read literally it is no address",
    ),
    ("mail075", "to"): (
        (("Namedyński", "hans@example.com"),),
        "'Name (addr)': the address is in the comment; read literally it is no address",
    ),
    ("mail037", "to"): (
        (("Max Kohl | [example.com]", "kohl@example.com"),),
        "'[' in an unquoted name confuses a strict address parser; the name is everything "
        "before <addr>",
    ),
}

# Bodies: message -> (a phrase our text contains, why it differs from Zammad's body).
BODY_DIFFERENCES: dict[str, tuple[str, str]] = {
    "mail018": ("Übermittlung an folgende Empfänger fehlgeschlagen", "UTF-7 decoded"),
    "mail023": ("Message-ID: From:", "unlabelled 8-bit GB2312 read as Windows-1254"),
    "mail054": ("some text", "the repaired header block gives the body back; Zammad loses it"),
    "mail060": ("Here it goes", "bytes in three charsets labelled iso-gb2312: mojibake either way"),
    "mail087": (
        "Sie haben soeben ein neues Fax",
        "the part without Content-Type is text/plain (RFC 2045) and the body, not a file",
    ),
    "mail105": (
        "ad asd -Martin",
        "multipart without boundary: we keep its text, Zammad shows nothing",
    ),
}
# HTML bodies: words of Zammad's body we don't have, and why.
_TITLE = "the HTML <title> is not content; Zammad's sanitiser keeps its text"
HTML_WORDS_NOT_OURS: dict[str, tuple[set[str], str]] = {
    "mail016": ({"新建网页"}, _TITLE),
    "mail019": ({"新建网页"}, _TITLE),
    "mail026": ({"ihre", "rechnung", "dokument"}, _TITLE),
    "mail047": ({"hotpricemail"}, _TITLE),
    "mail049": ({"1abcd", "angelegt", "verhedderten"}, _TITLE),
    "mail066": ({"glückwunschkarte"}, _TITLE),
    "mail072": ({"aoűt"}, "Zammad decodes windows-1258 'août' as 'aoűt'"),
}
# Attachments Zammad has that we don't: (message, filename) -> why.
ATTACHMENT_DIFFERENCES: dict[tuple[str, str], str] = {
    ("mail085", "document.html"): "two text/html parts of multipart/mixed are one body to us",
    ("mail087", "file"): "the part without Content-Type is the text body (see above)",
}


@pytest.fixture(params=BOXES, ids=box_id)
def case(request) -> tuple[str, ParsedEmail, dict[str, Any]]:
    box = require_corpus(request.param)
    return box.stem, *_parsed_and_expected(box)


@functools.cache
def _parsed_and_expected(box: Path) -> tuple[ParsedEmail, dict[str, Any]]:
    # Parsing is pure and reading 5 MB of YAML is slow: once per message per test run.
    return parse_email(box.read_bytes()), expected(box)


def _check(stem: str, field: str, ours: Any, zammads: Any) -> None:
    if (stem, field) in FIELD_DIFFERENCES:
        correct, _why = FIELD_DIFFERENCES[(stem, field)]
        assert ours != zammads, f"{stem} {field} now matches Zammad: drop the table entry"
        assert ours == correct
    else:
        assert ours == zammads


def test_the_corpus_has_106_messages():
    assert len(list(require_corpus().glob("mail*.box"))) == 106


@pytest.mark.parametrize("box", BOXES, ids=box_id)
def test_every_corpus_message_parses_without_raising(box: Path | None):
    raw = require_corpus(box).read_bytes()
    assert parse_email(raw).raw_sha256 == hashlib.sha256(raw).hexdigest()


def test_sender_address_matches_zammad(case):
    stem, ours, zammads = case
    _check(stem, "from_email", ours.from_email, zammads["from_email"].lower())


def test_sender_name_matches_zammad(case):
    stem, ours, zammads = case
    _check(stem, "from_display_name", ours.from_name, zammads["from_display_name"])


def test_subject_matches_zammad_without_surrounding_white_space(case):
    # Zammad keeps white space that sits inside encoded words ("PublicView_?="); a ticket
    # subject doesn't need it.
    stem, ours, zammads = case
    _check(stem, "subject", ours.subject, (zammads["subject"] or "").strip())


def test_to_matches_zammad(case):
    stem, ours, zammads = case
    _check(stem, "to", ours.to, _addresses(zammads["to"]))


def test_cc_matches_zammad(case):
    stem, ours, zammads = case
    _check(stem, "cc", ours.cc, _addresses(zammads.get("cc")))


def test_every_attachment_zammad_found_is_ours_byte_for_byte(case):
    stem, ours, zammads = case
    exact = {a.sha256 for a in ours.attachments}
    as_text = {_sha(_lf(a.data)) for a in ours.attachments}
    missing = []
    for attachment in zammads["attachments"]:
        if (attachment.get("preferences") or {}).get("content-alternative"):
            continue  # Zammad's own copy of the HTML body, not an attachment of the mail
        data = attachment["data"]
        if isinstance(data, bytes):
            found = _sha(data) in exact
        else:  # stored as YAML text: see _text_candidates
            found = any(_sha(_lf(c)) in as_text for c in _text_candidates(data))
        if not found:
            missing.append(attachment["filename"])
    assert missing == [name for (s, name) in ATTACHMENT_DIFFERENCES if s == stem]


def test_body_matches_zammad(case):
    stem, ours, zammads = case
    if zammads["content_type"] == "text/html":
        return _check_html_body(stem, ours, zammads["body"])
    theirs = _normalise(zammads["body"])
    theirs = "" if theirs == "no visible content" else theirs  # Zammad's empty-body marker
    if stem in BODY_DIFFERENCES:
        assert _normalise(ours.text) != theirs
        assert BODY_DIFFERENCES[stem][0] in _normalise(ours.text)
    else:
        assert _normalise(ours.text) == theirs


def _check_html_body(stem: str, ours: ParsedEmail, body: str) -> None:
    """Zammad's HTML is sanitised and reflowed, so compare its first distinctive words."""
    from destek.mail._html import html_to_text

    text = _normalise(ours.text + " " + html_to_text(ours.html or "")).casefold()
    words = list(dict.fromkeys(re.findall(r"\w{4,}", _normalise(body).casefold())))[:12]
    missing = {word for word in words if word not in text}
    assert missing == HTML_WORDS_NOT_OURS.get(stem, (set(), ""))[0]


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text))).strip()


def _addresses(header: str | None) -> tuple[tuple[str, str], ...]:
    """Zammad's decoded address header, read by the stdlib as an independent opinion."""
    pairs = getaddresses([header or ""], **_LENIENT)
    return tuple((name, email.lower()) for name, email in pairs if "@" in email)


# Newer Pythons reject malformed lists unless told to be lenient; older ones always are.
_LENIENT = {"strict": False} if "strict" in inspect.signature(getaddresses).parameters else {}


def _text_candidates(data: str) -> list[bytes]:
    """The bytes a text attachment of the YAML stood for: its UTF-8, or, for content that
    wasn't UTF-8, its Latin-1 (Psych writes such strings code point per byte). Line breaks
    may have been normalised to LF on the way, so callers compare with LF on both sides."""
    candidates = [data.encode("utf-8")]
    if all(ord(char) < 256 for char in data):
        candidates.append(data.encode("latin-1"))
    return candidates


def _lf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Behaviours the corpus shows (README "Tricky cases"), asserted directly.


def _parse(stem: str) -> ParsedEmail:
    return _parsed_and_expected(require_corpus(CORPUS / f"{stem}.box"))[0]


@pytest.mark.parametrize("stem", ["mail096", "mail097"])
def test_an_empty_or_missing_message_id_is_none_so_such_mails_never_thread_together(stem):
    assert _parse(stem).message_id is None


def test_a_message_id_folded_onto_the_next_line_is_read():
    assert _parse("mail095").message_id == (
        "DM6PR02MF1425372C1E5187B91210554G127D5@do1ram03ok0780.emails.users.example.com"
    )


def test_an_impossible_date_is_none_and_a_defect():
    parsed = _parse("mail074")
    assert (parsed.date, "unparsable-date" in parsed.defects) == (None, True)


def test_broken_header_folding_is_repaired_to_recover_from_to_and_subject():
    parsed = _parse("mail054")
    assert (parsed.from_email, parsed.to, parsed.subject, parsed.defects) == (
        "karoline.smith@example.com",
        (("Maruan Break", "hussein@example.com"),),
        "AW: One Net Business",
        ("header-block-repaired",),
    )


def test_a_junk_line_above_the_headers_is_skipped():
    parsed = _parse("mail068")
    assert (parsed.from_email, parsed.subject, parsed.message_id) == (
        "xxxxx@xxxxx.cz",
        "Contact from Server",
        "20180802145828.58E7387959@mail.xxxxxx.cz",
    )


def test_an_unknown_charset_label_falls_back_without_raising():
    parsed = _parse("mail060")
    assert "charset-fallback:iso-gb2312" in parsed.defects
    assert parsed.text.startswith("Here it goes - ")


@pytest.mark.parametrize(
    ("stem", "filename", "content_type"),
    [
        ("mail086", "test.pdf", "application/octet-stream"),
        ("mail088", "super-seven.jpg", "image/jpg"),
        ("mail094", "Otto Example Bestellung 4500258840.pdf", "application/pdf"),
    ],
)
def test_a_mail_that_is_one_non_text_part_is_one_attachment_and_no_text(
    stem, filename, content_type
):
    parsed = _parse(stem)
    assert parsed.text == ""
    assert [(a.filename, a.content_type) for a in parsed.attachments] == [(filename, content_type)]


def test_an_x_uuencode_part_without_begin_line_is_decoded():
    parsed = _parse("mail078-content_transfer_encoding_x_uuencode")
    assert [a.data for a in parsed.attachments] == [b"Hello Zammad"]


def test_an_rfc2231_filename_is_decoded():
    assert [a.filename for a in _parse("mail081").attachments] == ["Erklärung.txt"]


def test_an_attached_mail_keeps_its_original_bytes():
    parsed = _parse("mail014")
    raw = (CORPUS / "mail014.box").read_bytes()
    emls = [a.data for a in parsed.attachments if a.content_type == "message/rfc822"]
    assert len(emls) == 2
    assert all(len(data) > 1000 and data in raw for data in emls)


def test_a_raw_shift_jis_subject_is_read_in_the_japanese_charset_the_mail_declares():
    assert _parse("mail093").subject == "ツール"


def test_the_text_of_a_multipart_without_boundary_is_kept():
    assert _parse("mail105").text.startswith("äöüß ad asd\n\n-Martin")


@pytest.mark.parametrize("box", BOXES, ids=box_id)
def test_a_corpus_message_cut_short_never_raises(box: Path | None):
    raw = require_corpus(box).read_bytes()
    for end in sorted({200, *(len(raw) * k // 7 for k in range(1, 7))}):
        if raw[:end].strip():
            assert isinstance(parse_email(raw[:end]), ParsedEmail)
