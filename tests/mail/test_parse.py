"""destek.mail.parse with Turkish mail (fixtures named for what they show) and edge cases."""

from __future__ import annotations

import dataclasses
import hashlib
import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from destek.mail import _headers
from destek.mail.parse import MailParseError, ParsedEmail, parse_email

from .corpus import FIXTURES

PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
PNG_HEAD = b"\x89PNG\r\n\x1a\n"


def fixture(name: str) -> ParsedEmail:
    return parse_email((FIXTURES / name).read_bytes())


def test_iso_8859_9_subject_is_decoded():
    parsed = fixture("iso-8859-9-subject-and-body.eml")
    assert parsed.subject == "Sipariş iptali: ğüşıöç İĞÜŞÖÇ"


def test_iso_8859_9_body_is_decoded():
    parsed = fixture("iso-8859-9-subject-and-body.eml")
    assert parsed.text == (
        "Merhaba,\n\nSipariş iptali: ğüşıöç İĞÜŞÖÇ\n"
        "2041 numaralı siparişimi iptal etmek istiyorum.\n\nÇağrı Öztürk"
    )


def test_iso_8859_9_display_name_is_decoded():
    parsed = fixture("iso-8859-9-subject-and-body.eml")
    assert (parsed.from_name, parsed.from_email) == ("Çağrı Öztürk", "cagri.ozturk@ornek.com.tr")


def test_windows_1254_base64_subject_is_decoded():
    parsed = fixture("windows-1254-quoted-printable.eml")
    assert parsed.subject == "Fatura düzeltme talebi – İŞLEM"


def test_windows_1254_quoted_printable_body_is_decoded():
    parsed = fixture("windows-1254-quoted-printable.eml")
    assert parsed.text == (
        "Merhaba,\n\nFaturadaki vergi numarası yanlış yazılmış: 1234567890 olmalı.\n"
        "Düzeltilmiş faturayı gönderebilir misiniz?\n\nŞükrü Işık"
    )


def test_unlabelled_8bit_turkish_headers_and_body_are_read_as_windows_1254():
    parsed = fixture("unlabelled-8bit-windows-1254.eml")
    assert (parsed.from_name, parsed.subject, parsed.text) == (
        "Hüseyin Şen",
        "Şikayet: ürün ulaşmadı",
        "Siparişim 10 gündür ulaşmadı, ilgilenir misiniz?",
    )
    assert parsed.defects == ("charset-fallback:none",)


def test_windows_1254_text_labelled_utf_8_is_recognised():
    parsed = fixture("mislabelled-utf-8-windows-1254-body.eml")
    assert parsed.text == "Ödeme sayfası açılmıyor, yardım eder misiniz?"
    assert parsed.defects == ("charset-fallback:utf-8",)


def test_rfc2231_percent_encoded_filename_is_decoded():
    parsed = fixture("rfc2231-turkish-filename.eml")
    assert parsed.attachments[0].filename == "Şubat faturası İstanbul.pdf"


def test_rfc2231_filename_continuations_are_joined_and_decoded():
    parsed = fixture("rfc2231-turkish-filename.eml")
    assert parsed.attachments[1].filename == "Sipariş listesi çüğö.xlsx"


def test_rfc2047_encoded_filename_in_quotes_is_decoded():
    parsed = fixture("rfc2231-turkish-filename.eml")
    assert parsed.attachments[2].filename == "Kırık ürün fotoğrafı.jpg"


def test_attachment_bytes_are_exactly_what_was_sent():
    parsed = fixture("rfc2231-turkish-filename.eml")
    assert [a.data for a in parsed.attachments[:2]] == [PDF, bytes(range(256)) * 3]


def test_attachment_knows_its_size_hash_and_type():
    pdf = fixture("rfc2231-turkish-filename.eml").attachments[0]
    assert (pdf.size, pdf.sha256, pdf.content_type, pdf.inline) == (
        len(PDF),
        hashlib.sha256(PDF).hexdigest(),
        "application/pdf",
        False,
    )


def test_rfc2047_sender_name_is_decoded_and_address_lower_cased():
    parsed = fixture("rfc2047-turkish-display-name.eml")
    assert (parsed.from_name, parsed.from_email) == ("Çağrı Öztürk", "cagri.ozturk@ornek.com.tr")


def test_a_comma_inside_an_encoded_display_name_does_not_split_the_address():
    parsed = fixture("rfc2047-turkish-display-name.eml")
    assert parsed.to == (
        ("Öztürk, Çağrı", "cagri.ozturk@ornek.com.tr"),
        ("Destek Ekibi", "destek@anadolukahve.com.tr"),
    )


def test_adjacent_encoded_words_in_two_charsets_make_one_name():
    parsed = fixture("rfc2047-turkish-display-name.eml")
    assert parsed.cc == (
        ("İpek Güneş", "ipek@ornek.com.tr"),
        ("Gül Şahin", "gul.sahin@ornek.com.tr"),
    )


def test_reply_to_is_decoded():
    parsed = fixture("rfc2047-turkish-display-name.eml")
    assert parsed.reply_to == (("Sipariş Masası", "siparis@ornek.com.tr"),)


def test_an_image_the_html_shows_by_cid_is_inline():
    image = fixture("inline-image-cid.eml").attachments[0]
    assert (image.filename, image.content_id, image.inline) == (
        "ekran.png",
        "ekran-1@musteri.com.tr",
        True,
    )


def test_an_image_the_html_does_not_show_is_a_plain_attachment():
    logo = fixture("inline-image-cid.eml").attachments[1]
    assert (logo.filename, logo.content_id, logo.inline) == (
        "logo.png",
        "logo@musteri.com.tr",
        False,
    )


def test_inline_image_bytes_are_intact():
    image = fixture("inline-image-cid.eml").attachments[0]
    assert image.data.startswith(PNG_HEAD) and image.size == 70


def test_alternatives_fill_text_from_plain_and_html_from_html():
    parsed = fixture("inline-image-cid.eml")
    assert parsed.text == "Sepette ödeme adımında bu hatayı alıyorum:\n[ekran görüntüsü]"
    assert parsed.html.startswith("<html><body><p>Sepette ödeme adımında bu hatayı alıyorum:")


def test_an_html_only_mail_gets_its_text_from_the_html():
    parsed = fixture("no-reply-sender.eml")
    assert parsed.text == "Ad: Burak Çelik\n\nMesaj: Öğütülmüş kahve\nkaç gün taze kalır?"


def test_sanitized_html_drops_scripts_and_keeps_text():
    raw = (
        b"From: a@ornek.com.tr\nContent-Type: text/html; charset=utf-8\n\n"
        b"<p onclick='x()'>Merhaba</p><script>alert(1)</script>"
    )
    assert parse_email(raw).sanitized_html == "<p>Merhaba</p>"


def test_a_mail_without_html_has_no_sanitized_html():
    assert fixture("iso-8859-9-subject-and-body.eml").sanitized_html is None


def test_reply_ids_are_read_without_angle_brackets():
    parsed = fixture("reply-gmail-turkish-quote.eml")
    assert (parsed.message_id, parsed.in_reply_to, parsed.references) == (
        "CAGmail+reply=42@mail.gmail.com",
        "dst-1042.a1b2c3@anadolukahve.com.tr",
        ("20240312091500.4411@ornek.com.tr", "dst-1042.a1b2c3@anadolukahve.com.tr"),
    )


def test_thread_ids_put_in_reply_to_first_without_duplicates():
    parsed = fixture("reply-gmail-turkish-quote.eml")
    assert parsed.thread_ids == (
        "dst-1042.a1b2c3@anadolukahve.com.tr",
        "20240312091500.4411@ornek.com.tr",
    )


def test_date_is_timezone_aware():
    parsed = fixture("reply-gmail-turkish-quote.eml")
    assert parsed.date == datetime(2024, 3, 18, 10, 5, tzinfo=timezone(timedelta(hours=3)))


def test_a_date_without_zone_is_taken_as_utc():
    parsed = parse_email(b"From: a@b.c\nDate: Mon, 18 Mar 2024 10:05:00 -0000\n\nx")
    assert parsed.date == datetime(2024, 3, 18, 10, 5, tzinfo=UTC)


def test_a_mail_that_is_one_pdf_has_no_text_and_one_attachment():
    parsed = fixture("single-pdf-part.eml")
    assert (parsed.text, [(a.filename, a.data) for a in parsed.attachments]) == (
        "",
        [("fatura-0042.pdf", PDF)],
    )


def test_an_mbox_envelope_line_is_not_taken_for_a_header():
    parsed = parse_email(
        b"From sender@x.test Mon Mar 18 10:05:00 2024\nFrom: a@b.c\nSubject: S\n\nx"
    )
    assert (parsed.from_email, parsed.subject, parsed.defects) == ("a@b.c", "S", ())


def test_an_encoded_word_in_an_address_is_never_decoded_so_it_cannot_spoof_a_sender():
    parsed = parse_email(b"From: =?utf-8?Q?destek?=@anadolukahve.com.tr\n\nx")
    assert parsed.from_email == "=?utf-8?q?destek?=@anadolukahve.com.tr"


def test_a_missing_from_is_none_and_a_defect():
    parsed = parse_email(b"To: a@b.c\nSubject: S\n\nx")
    assert (parsed.from_email, parsed.from_name, parsed.defects) == (None, "", ("missing-from",))


def test_recipients_without_an_address_are_dropped():
    parsed = parse_email(b"From: a@b.c\nTo: undisclosed-recipients:;\nCc: Recipients\n\nx")
    assert (parsed.to, parsed.cc) == ((), ())


def test_a_body_line_that_looks_like_a_message_part_header_stays_as_written():
    raw = b"From: a@b.c\n\nForwarded headers:\nContent-Type: message/rfc822\nend\n"
    assert parse_email(raw).text == "Forwarded headers:\nContent-Type: message/rfc822\nend"


def test_an_attached_mail_with_a_folded_content_type_is_still_one_eml_attachment():
    raw = (
        b"From: a@b.c\nContent-Type: multipart/mixed; boundary=s\n\n--s\n"
        b"Content-Type: text/plain\n\nForwarded.\n--s\nContent-Type:\n message/rfc822\n\n"
        b"From: x@y.z\nSubject: =?utf-8?Q?=C4=B0ade?=\nX-Empty:\n\nEski mesaj\n--s--\n"
    )
    parsed = parse_email(raw)
    assert (parsed.text, [(a.filename, a.data) for a in parsed.attachments]) == (
        "Forwarded.",
        [("İade.eml", b"From: x@y.z\nSubject: =?utf-8?Q?=C4=B0ade?=\nX-Empty:\n\nEski mesaj")],
    )


def test_the_parsed_mail_is_frozen():
    parsed = fixture("iso-8859-9-subject-and-body.eml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.subject = "başka"  # type: ignore[misc]


def test_raw_hash_and_size_describe_the_input():
    raw = (FIXTURES / "iso-8859-9-subject-and-body.eml").read_bytes()
    parsed = parse_email(raw)
    assert (parsed.raw_sha256, parsed.size) == (hashlib.sha256(raw).hexdigest(), len(raw))


@pytest.mark.parametrize("raw", [b"", b"  \r\n\t\n"])
def test_empty_input_raises_a_clear_error(raw):
    with pytest.raises(MailParseError, match="the message is empty"):
        parse_email(raw)


def test_random_bytes_never_raise():
    rng = random.Random(20240318)
    for _ in range(300):
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))) + b"x"
        assert isinstance(parse_email(raw), ParsedEmail)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.eml")), ids=lambda p: p.stem)
def test_a_fixture_cut_anywhere_never_raises(path):
    raw = path.read_bytes()
    for end in range(1, len(raw), 23):
        if raw[:end].strip():
            parse_email(raw[:end])


@given(st.text(alphabet=st.sampled_from('aAçÇ@.<>", ()=?;:\\\t\r\nQBx_'), max_size=80))
def test_remembered_address_lists_equal_a_fresh_parse(value):
    # Parsed once per process (From and To repeat from mail to mail): the same pairs as
    # parsing the value afresh, however often it comes.
    fresh = _headers._addresses(value) if value else ()
    assert _headers.addresses(value) == fresh
    assert _headers.addresses(value) == fresh


def test_only_short_address_lists_are_remembered():
    _headers._remembered_addresses.cache_clear()
    short = "Ayşe Yılmaz <ayse@example.com>"
    long = ", ".join(f"kisi{n}@example.com" for n in range(60))
    assert len(long) > _headers._REMEMBERED_LENGTH
    _headers.addresses(short)
    _headers.addresses(short)
    assert _headers.addresses(long)[59] == ("", "kisi59@example.com")
    info = _headers._remembered_addresses.cache_info()
    assert (info.hits, info.misses, info.currsize) == (1, 1, 1)
