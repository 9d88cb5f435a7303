"""Separating the new part of a reply from what it quotes and from the sender's signature.

A ticket shows only what the customer just wrote (DESIGN §5); the quoted history and the
signature are folded away, one click from view. The rules look for where the old mail starts:

- an attribution line: Gmail's "On … wrote:" and its Turkish "… tarihinde … şunu yazdı:",
  Apple Mail's "… şunları yazdı:", German "Am … schrieb …:", French "Le … a écrit :";
- a separator: "-----Original Message-----", "-----Orijinal İleti-----", "-----Özgün İleti-----",
  "-----Ursprüngliche Nachricht-----", a forwarded-message line, Outlook's line of underscores;
- an Outlook header block: "From:/Sent:/To:/Subject:", "Kimden:/Gönderildi:/Kime:/Konu:",
  "Gönderen:/Tarih:", "Von:/Gesendet:/An:/Betreff:" — a From line with a date line and a
  subject line right below it;
- a trailing block of "> " lines (quotes interleaved with answers stay visible);

and where the signature starts: the "-- " line, or a mobile client's "Sent from my iPhone",
"iPhone'umdan gönderildi", "Android için Outlook'u edinin" near the end of the new part.

It errs on the side of showing too much: when the rules would leave nothing visible (a reply
written below the quote), the whole text stays visible.
"""

from __future__ import annotations

import re

_ATTRIBUTION = re.compile(
    r"^(?:On\s.+\swrote:"
    r"|.+\btarihinde\b.+\byazd[ıi]:"
    r"|.+\b(?:şunu|şunları)\s+yazd[ıi]:"
    r"|Am\s.+\sschrieb\s.*:"
    r"|Le\s.+\sa\s+écrit\s?:)\s*$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(
    r"^\s*-{3,}\s*(?:original message|orijinal (?:ileti|mesaj)|özgün ileti|ursprüngliche nachricht"
    r"|original-nachricht|forwarded message|iletilen (?:ileti|mesaj)|weitergeleitete nachricht)"
    r"\s*-{3,}\s*$",
    re.IGNORECASE,
)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_BLOCK_FROM = re.compile(r"^\s*\*?(?:From|Von|Kimden|Gönderen|De)\s*:\*?\s*\S", re.IGNORECASE)
_BLOCK_DATE = re.compile(
    r"^\s*\*?(?:Sent|Date|Gesendet|Datum|Gönderildi|Gönderilme|Tarih|Envoyé)\s*:", re.IGNORECASE
)
_BLOCK_SUBJECT = re.compile(r"^\s*\*?(?:Subject|Betreff|Konu|Objet)\s*:", re.IGNORECASE)
_MOBILE_SIGNATURE = re.compile(
    r"^\s*(?:sent from my \w+.*|sent from (?:outlook|yahoo mail|mail for windows).*"
    r"|get outlook for (?:android|ios).*|iphone'?umdan gönderildi\.?|ipad'?imden gönderildi\.?"
    r"|(?:android|ios) için outlook'?u edinin\.?|.*cihazımdan gönderildi\.?"
    r"|von meinem iphone gesendet\.?)\s*$",
    re.IGNORECASE,
)
# Attribution lines are short; longer lines aren't tried (the patterns backtrack on long ones).
_MAX_ATTRIBUTION_LENGTH = 400
# A signature is short; a "--" line followed by pages of text is more likely content.
_MAX_SIGNATURE_LINES = 12
_HEADER_BLOCK_REACH = 6


def split_reply(text: str) -> tuple[str, str]:
    """``(visible_text, quoted_text)`` of a plain-text mail body.

    ``quoted_text`` holds the signature and the quoted history, in the order they came;
    ``visible_text + quoted_text`` loses only the blank lines between them.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = _quote_start(lines)
    cut = _signature_start(lines, cut)
    visible = "\n".join(lines[:cut]).strip("\n").rstrip()
    if not visible.strip():
        return text, ""
    return visible, "\n".join(lines[cut:]).strip("\n")


def _quote_start(lines: list[str]) -> int:
    """Index of the first line of the quoted history (``len(lines)`` when there is none)."""
    for index, line in enumerate(lines):
        if not line.strip() or len(line) > _MAX_ATTRIBUTION_LENGTH:
            continue
        if _ATTRIBUTION.match(line) or _SEPARATOR.match(line):
            return index
        if _wrapped_attribution(line, lines[index + 1] if index + 1 < len(lines) else ""):
            return index
        if _BLOCK_FROM.match(line) and _is_header_block(lines, index):
            return index
        if _UNDERSCORES.match(line) and _next_is_header_block(lines, index):
            return index
    return _trailing_quote_start(lines)


def _wrapped_attribution(line: str, following: str) -> bool:
    """A long attribution that the sender's mail client wrapped onto two lines."""
    wrapped = f"{line} {following.strip()}"
    return (
        following.rstrip().endswith(":")
        and len(wrapped) <= _MAX_ATTRIBUTION_LENGTH
        and _ATTRIBUTION.match(wrapped) is not None
    )


def _is_header_block(lines: list[str], start: int) -> bool:
    block = lines[start + 1 : start + 1 + _HEADER_BLOCK_REACH]
    return any(_BLOCK_DATE.match(x) for x in block) and any(_BLOCK_SUBJECT.match(x) for x in block)


def _next_is_header_block(lines: list[str], start: int) -> bool:
    following = next((i for i in range(start + 1, len(lines)) if lines[i].strip()), None)
    return (
        following is not None
        and _BLOCK_FROM.match(lines[following]) is not None
        and _is_header_block(lines, following)
    )


def _trailing_quote_start(lines: list[str]) -> int:
    """Where the block of ``>`` lines at the end of the text starts, with the attribution line
    just above it; quotes with answers after them are context, not history."""
    start = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        stripped = lines[index].strip()
        if stripped.startswith(">"):
            start = index
        elif stripped:
            break
    if start == len(lines):
        return start
    above = start - 1
    while above >= 0 and not lines[above].strip():
        above -= 1
    if above >= 0 and lines[above].rstrip().endswith(":"):
        return above
    return start


def _signature_start(lines: list[str], end: int) -> int:
    """Where the signature of the new part (``lines[:end]``) starts, or ``end``."""
    for index in range(end - 1, -1, -1):
        line = lines[index]
        if line.rstrip() == "--" or _MOBILE_SIGNATURE.match(line):
            after = [x for x in lines[index + 1 : end] if x.strip()]
            if len(after) <= _MAX_SIGNATURE_LINES:
                return index
    return end
