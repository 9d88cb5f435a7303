"""Turning the bytes of a header or a body part into text, whatever charset label they carry.

Mail in the wild is often labelled wrongly or not at all. Labels are read the way browsers read
them (the WHATWG Encoding Standard): ``iso-8859-1`` means Windows-1252, ``iso-8859-9`` means
Windows-1254, ``gb2312`` means GBK, and so on — each of these is a superset that decodes what
senders really produce. Unlabelled 8-bit text is tried as UTF-8 first and then as Windows-1254,
the Turkish code page: it agrees with Latin-1 on the German and French letters and adds
``ğ ı ş İ Ş Ğ``, which is what an unlabelled message to a Turkish business most likely holds.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

# Labels Python does not know, or knows as a narrower charset than senders actually use.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "iso_8859-1": "cp1252",
    "iso-8859-9": "cp1254",
    "iso8859-9": "cp1254",
    "latin5": "cp1254",
    "iso_8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "iso-gb2312": "gb18030",
    "x-gbk": "gb18030",
    "cn-gb": "gb18030",
    "euc-cn": "gb18030",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
    "unicode-1-1-utf-7": "utf-7",
    "x-unicode-2-0-utf-7": "utf-7",
    "utf8": "utf-8",
    "x-user-defined": "cp1252",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
    "ansi_x3.4-1968": "utf-8",
    "646": "utf-8",
    "big5": "big5hkscs",
    "x-mac-roman": "mac_roman",
    "macintosh": "mac_roman",
}

# The guess for text that says nothing about its charset (see the module docstring).
UNLABELLED_FALLBACK = "cp1254"


@lru_cache(maxsize=256)
def resolve_charset(label: str | None) -> str | None:
    """The Python codec to use for a charset label from a mail header, or ``None`` if unknown.

    Labels that are codecs Python knows but that aren't text encodings (``rot13``, ``base64``,
    ``zlib`` …) count as unknown: a hostile message must not pick a bytes transform.
    """
    if not label:
        return None
    cleaned = label.strip().strip("\"'").strip().lower()
    if not cleaned:
        return None
    cleaned = _ALIASES.get(cleaned, cleaned)
    try:
        info = codecs.lookup(cleaned)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


# Codecs to try when the declared one fails: the same language's other encodings, because
# senders mix them up (Shift_JIS bytes labelled ISO-2022-JP, mail093).
_SIBLINGS = {
    "iso2022_jp_ext": ("iso2022_jp_ms", "cp932", "euc_jis_2004"),
    "cp932": ("euc_jis_2004",),
    "euc_jp": ("cp932",),
    "euc_jis_2004": ("cp932",),
}
# Some text codecs fail with more than UnicodeDecodeError ("idna", "undefined" …).
_DECODE_ERRORS = (UnicodeError, ValueError, TypeError, LookupError)
_SURROGATE = re.compile("[\udc80-\udcff]")


def decode_bytes(data: bytes, label: str | None) -> tuple[str, bool]:
    """Decode ``data`` labelled ``label``; never raises.

    Returns the text and whether a guess was needed (the label was unknown or wrong), so the
    caller can record a defect. Order: the label's codec and its siblings; UTF-8, the commonest
    mislabel; for an unknown or missing label the unlabelled fallback; finally the label's codec
    with replacement characters.
    """
    codec = resolve_charset(label)
    if codec is not None:
        for candidate in (codec, *_SIBLINGS.get(codec, ())):
            try:
                return _decode(data, candidate), candidate != codec
            except _DECODE_ERRORS:
                continue
    if codec != "utf-8":
        try:
            return data.decode("utf-8"), codec is not None or bool(label)
        except UnicodeDecodeError:
            pass
    elif _no_valid_utf8_sequence(data):  # "utf-8" that is really a single-byte code page
        return _single_byte(data), True
    if codec is None:
        return _single_byte(data), bool(label) or not data.isascii()
    try:
        return data.decode(codec, errors="replace"), True
    except _DECODE_ERRORS:  # codecs such as "undefined" refuse even with errors="replace"
        return _single_byte(data), True


def _decode(data: bytes, codec: str) -> str:
    if codec == "iso2022_jp_ms":
        return _decode_iso2022_jp_ms(data)
    return data.decode(codec)


def _single_byte(data: bytes) -> str:
    try:
        return data.decode(UNLABELLED_FALLBACK)
    except UnicodeDecodeError:  # one of the five bytes Windows-1254 leaves undefined
        return data.decode("latin-1")


def _no_valid_utf8_sequence(data: bytes) -> bool:
    text = data.decode("utf-8", errors="replace")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return non_ascii == text.count("\ufffd")


def decode_surrogates(text: str, hint: str | None = None) -> str:
    """Text that carried raw 8-bit bytes, which the parser keeps as surrogate escapes.

    Raw bytes in a header are UTF-8 when they are valid UTF-8 (RFC 6532); otherwise they are
    most likely in the charset the message declares for its body (``hint``): a Japanese mailer
    writing a raw Shift_JIS subject labels its body ISO-2022-JP (mail093).
    """
    if text.isascii() or not _SURROGATE.search(text):
        return text
    raw = text.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return decode_bytes(raw, hint)[0]


_ISO2022_ESCAPE = re.compile(rb"(\x1b\$[@B]|\x1b\([BJI])")


def _decode_iso2022_jp_ms(data: bytes) -> str:
    """ISO-2022-JP with Microsoft's extensions (circled digits, NEC/IBM rows; CP50220), which
    Python has no codec for: every JIS X 0208 pair is mapped to Shift_JIS and read as CP932."""
    out = []
    mode = "ascii"
    for chunk in _ISO2022_ESCAPE.split(data):
        if chunk[:1] == b"\x1b":
            mode = "jis" if chunk[1:2] == b"$" else ("kana" if chunk == b"\x1b(I" else "ascii")
        elif mode == "jis":
            sjis = bytearray()
            for first, second in zip(chunk[::2], chunk[1::2], strict=False):
                lead = ((first + 1) >> 1) + 0x70
                sjis.append(lead + 0x40 if lead >= 0xA0 else lead)
                if first & 1:
                    sjis.append(second + (0x20 if second >= 0x60 else 0x1F))
                else:
                    sjis.append(second + 0x7E)
            out.append(sjis.decode("cp932"))
        elif mode == "kana":
            out.append(bytes(byte | 0x80 for byte in chunk).decode("cp932"))
        else:
            out.append(chunk.decode("ascii"))
    return "".join(out)
