"""The translation catalogues (destek/locale): complete, consistent with their compiled .mo
files, and actually used — an English page shows English UI text and a Turkish one Turkish.

The .po files are read with the small parser below rather than a library: they are written by
gettext's own tools, so the subset of the format they use is small and fixed."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from destek.accounts.services import invitation_email
from destek.mail import compose, ingest, notify
from destek.mail.models import Mailbox, OutboundEmail, OutboundKind
from destek.tickets import actions
from destek.tickets.models import CannedReply, Category
from tests.conftest import require_service
from tests.mail.inbound import build_mail, make_mailbox

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
LANGUAGES = ["en", "tr"]

# Python-format (named and positional) and the {{ name }} variables of canned replies.
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[sdifr]|%[#0 +-]*\d*(?:\.\d+)?[sdifr]"
    r"|\{\{\s*[\w.]+\s*\}\}|\{[\w.]*\}"
)


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        return repr(self.msgid if self.msgctxt is None else (self.msgctxt, self.msgid))


def parse_po(path: Path) -> tuple[Entry, list[Entry]]:
    """The header entry and the other (non-obsolete) entries of a .po file."""
    entries, entry, target = [], Entry(), None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            # The escapes gettext writes (\n, \t, \", \\) read the same as Python's.
            _append(entry, target, ast.literal_eval(line))
        else:
            keyword, _, text = line.partition(" ")
            target = keyword
            _append(entry, target, ast.literal_eval(text), start=True)
    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    return header, [e for e in entries if e is not header]


def _append(entry: Entry, keyword: str, text: str, start: bool = False) -> None:
    if keyword.startswith("msgstr"):
        index = int(keyword[7:-1]) if "[" in keyword else 0
        entry.msgstr[index] = ("" if start else entry.msgstr[index]) + text
    else:
        current = "" if start else getattr(entry, keyword)
        setattr(entry, keyword, current + text)


def catalogue(language: str) -> tuple[Entry, list[Entry]]:
    return parse_po(LOCALE_DIR / language / "LC_MESSAGES" / "django.po")


def header_fields(header: Entry) -> dict[str, str]:
    lines = header.msgstr[0].splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def forms(entry: Entry) -> list[tuple[str, str]]:
    """(source, translation) pairs: the plural msgid goes with every form after the first."""
    return [
        (entry.msgid if index == 0 else entry.msgid_plural or entry.msgid, text)
        for index, text in sorted(entry.msgstr.items())
    ]


# --- The catalogues themselves ------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_header_names_language_charset_and_plural_rule(language):
    header, _ = catalogue(language)
    fields = header_fields(header)
    assert fields["Project-Id-Version"] == "Destek"
    assert fields["Language"] == language
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "fuzzy" not in header.flags


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated(language):
    _, entries = catalogue(language)
    plural_forms = 2  # nplurals of both languages
    untranslated = [
        str(entry)
        for entry in entries
        if not all(entry.msgstr.values())
        or (entry.msgid_plural is not None and len(entry.msgstr) != plural_forms)
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_fuzzy(language):
    _, entries = catalogue(language)
    assert [str(entry) for entry in entries if "fuzzy" in entry.flags] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_their_msgid(language):
    _, entries = catalogue(language)
    mismatched = [
        (str(entry), text)
        for entry in entries
        for source, text in forms(entry)
        if Counter(PLACEHOLDER.findall(source)) != Counter(PLACEHOLDER.findall(text))
    ]
    assert mismatched == []


def test_both_catalogues_hold_the_same_msgids():
    def keys(language):
        return {(e.msgctxt, e.msgid, e.msgid_plural) for e in catalogue(language)[1]}

    assert keys("en") == keys("tr")


def test_turkish_catalogue_repeats_its_turkish_msgids():
    # The msgids are the Turkish text; the one exception is a language name written in English.
    _, entries = catalogue("tr")
    differing = {
        entry.msgid: text for entry in entries for source, text in forms(entry) if text != source
    }
    assert differing == {"English": "İngilizce"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    """The committed .mo holds exactly the .po's translations (run `make messages` if not)."""
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    expected = {}
    for entry in catalogue(language)[1]:
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[key] = entry.msgstr[0]
        else:
            expected.update({(key, index): text for index, text in entry.msgstr.items()})
    actual = {key: text for key, text in compiled._catalog.items() if key != ""}
    assert actual == expected


def test_every_marked_string_is_in_the_catalogues(settings, tmp_path, monkeypatch):
    """makemessages over a copy of the source adds no entry: nothing marked is missing from
    the catalogues (run `make messages` and translate if this fails)."""
    require_service(shutil.which("xgettext") is not None, "gettext (xgettext) is not installed")
    source = tmp_path / "destek"
    skipped = shutil.ignore_patterns("__pycache__", "static", "*.mo")
    shutil.copytree(LOCALE_DIR.parent, source, ignore=skipped)
    settings.LOCALE_PATHS = [source / "locale"]
    monkeypatch.chdir(source)
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    _, entries = parse_po(source / "locale" / "en" / "LC_MESSAGES" / "django.po")
    # A new string close to a known one comes back with that one's text, marked fuzzy.
    missing = [e for e in entries if not all(e.msgstr.values()) or "fuzzy" in e.flags]
    assert [str(entry) for entry in missing] == []


# --- The catalogues in use ----------------------------------------------------------------------

TURKISH_UI_WORDS = [
    "Talepler",
    "Yanıtla",
    "Dahili not",
    "Atanmamış",
    "Kaydet",
    "Giriş yap",
    "Çıkış",
    "Ekip",
    "Pano",
    "Durum",
    "Öncelik",
]


class Page(NamedTuple):
    client: str | None  # the client fixture, None for an anonymous visitor
    url: str  # formatted with the primary keys of `fixtures`
    english: list[str]
    turkish: list[str]
    fixtures: tuple[str, ...] = ()


PAGES = {
    "login": Page(None, "/accounts/login/", ["Sign in", "Forgot your password?"], ["Giriş yap"]),
    "queue": Page(
        "agent_client",
        "/w/anadolu/tickets/",
        ["Tickets", "Unassigned", "Filters and sorting", "New ticket", "1 ticket", "Time left"],
        ["Talepler", "Atanmamış", "Kalan süre"],
    ),
    "ticket": Page(
        "agent_client",
        "/w/anadolu/t/1/",
        [
            "Take it",
            "Internal note — never shown to the customer",
            "yonetici took the ticket",
            "yonetici changed the status from Open to Pending",
            "Add note",
        ],
        ["Yanıtla", "Dahili not", "Üzerime al"],
    ),
    "dashboard": Page(
        "owner_client",
        "/w/anadolu/dashboard/",
        ["Dashboard", "Open tickets", "Resolved today"],
        ["Pano", "Açık talepler"],
    ),
    "members": Page(
        "admin_client",
        "/w/anadolu/members/",
        ["Team", "Pending invitations", "Seats: 3 of 25", "Send invitation"],
        ["Ekip", "Bekleyen davetler"],
    ),
    "mailboxes": Page(
        "admin_client",
        "/w/anadolu/mailboxes/",
        [
            "Mailboxes",
            "Add mailbox",
            "Address",
            "Last successful fetch",
            "Working",
            "45 of 120 emails imported",
            "Quarantine",
        ],
        ["Posta kutuları", "Posta kutusu ekle", "Son başarılı alma", "Karantina"],
        ("mailbox",),
    ),
    "mailbox": Page(
        "admin_client",
        "/w/anadolu/mailboxes/{mailbox}/",
        [
            "← Mailboxes",
            "Incoming mail (IMAP)",
            "IMAP server",
            "SMTP password",
            "Leave blank to keep the saved password.",
            "Automatic acknowledgement",
            "Connection status",
            "Test connection",
            "Disable",
        ],
        ["Gelen posta (IMAP)", "IMAP sunucusu", "Otomatik alındı yanıtı", "Bağlantıyı test et"],
        ("mailbox",),
    ),
    "sla": Page(
        "admin_client",
        "/w/anadolu/sla/",
        [
            "SLA and business hours",
            "Targets by priority",
            "First response (minutes)",
            "Save targets",
            "Business hours",
            "Monday",
            "Opens",
            "Closes",
            "Additional closed days",
            "Add closed day",
            "Upcoming public holidays",
        ],
        ["SLA ve çalışma saatleri", "Önceliklere göre hedefler", "Pazartesi", "Açılış"],
    ),
}


@pytest.fixture
def mailbox(workspace) -> Mailbox:
    """A connected support mailbox halfway through importing its history."""
    box = Mailbox(
        workspace=workspace,
        address="destek@anadolu.test",
        imap_host="mail.anadolu.test",
        imap_port=993,
        imap_user="destek@anadolu.test",
        smtp_host="mail.anadolu.test",
        smtp_port=465,
        smtp_user="destek@anadolu.test",
        import_days=30,
        import_total=120,
        import_done=45,
        last_check_at=timezone.now(),
        last_success_at=timezone.now(),
    )
    box.imap_password = "imap-parola"
    box.save()
    return box


@pytest.fixture
def desk(workspace, admin, agent, ticket):
    """A ticket with a history to show, in a workspace without its seeded categories and canned
    replies: those are data in the workspace's language (Turkish), not interface text."""
    Category.objects.filter(workspace=workspace).delete()
    CannedReply.objects.filter(workspace=workspace).delete()
    actions.claim(ticket=ticket, actor=admin)
    actions.add_note(ticket=ticket, actor=admin, text="Bankayla görüştüm.")
    actions.change_status(ticket=ticket, actor=admin, status="pending")
    return ticket


def page_text(request, page: Page, language: str | None) -> str:
    client = request.getfixturevalue(page.client) if page.client else Client()
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    keys = {name: request.getfixturevalue(name).pk for name in page.fixtures}
    response = client.get(page.url.format(**keys))
    assert response.status_code == 200
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    # Attribute values (aria-label, title, placeholder) are interface text too.
    html = re.sub(r'\s[\w-]+="([^"]*)"', r" \1 ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", html))


def contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


@pytest.mark.parametrize("page", PAGES)
def test_english_page_shows_english_interface(request, desk, page):
    text = page_text(request, PAGES[page], "en")
    assert [phrase for phrase in PAGES[page].english if not contains(text, phrase)] == []
    assert [word for word in TURKISH_UI_WORDS if contains(text, word)] == []


@pytest.mark.parametrize("page", PAGES)
def test_english_page_shows_no_untranslated_catalogue_text(request, desk, page):
    """No text node or attribute of the English page is a msgid whose English differs: such a
    string was marked but came out untranslated (evaluated too early, or missing from .mo)."""
    html = page_text(request, PAGES[page], "en")
    turkish = {
        entry.msgid
        for entry in catalogue("en")[1]
        if entry.msgstr[0] != entry.msgid and "%" not in entry.msgid and len(entry.msgid) > 2
    }
    assert sorted(msgid for msgid in turkish if f" {msgid} " in f" {html} ") == []


@pytest.mark.parametrize("page", PAGES)
def test_turkish_page_shows_turkish_interface(request, desk, page):
    text = page_text(request, PAGES[page], None)
    assert [phrase for phrase in PAGES[page].turkish if not contains(text, phrase)] == []
    assert [phrase for phrase in PAGES[page].english if contains(text, phrase)] == []


def test_invitation_mail_in_an_english_workspace_is_english(workspace, admin):
    workspace.language = "en"
    workspace.save(update_fields=["language"])
    invitation = workspace.invitations.create(
        email="yeni@anadolu.test",
        role="agent",
        invited_by=admin,
        expires_at=workspace.trial_ends_at,
    )
    message = invitation_email(invitation, admin)
    assert message.subject == "Anadolu Kahve has invited you to Destek"
    assert message.body.startswith(
        "yonetici has invited you to the Anadolu Kahve workspace with the Agent role."
    )
    assert message.body.endswith("This link is valid for 7 days.")


def test_acknowledgement_in_an_english_workspace_is_english(workspace):
    workspace.language = "en"
    workspace.save(update_fields=["language"])
    mailbox = make_mailbox(workspace)
    ticket = ingest.receive_and_process(mailbox, build_mail(), source="pipe").ticket
    ack = OutboundEmail.objects.get(ticket=ticket, kind=OutboundKind.ACKNOWLEDGEMENT)
    assert ack.body == (
        "Hello Zeynep Kaya,\n\n"
        f"We have received your request; your tracking code is {ticket.code}. We will get back "
        "to you as soon as possible.\n\nYou can add to your request by replying to this email."
    )
    text = compose.compose(ack, now=timezone.now()).get_content()
    assert f"Tracking code: {ticket.code} · " in text


def test_notifications_are_in_each_readers_language(workspace, admin, agent):
    """The agent chose English; the admin chose nothing and reads the workspace's Turkish."""
    agent.language = "en"
    agent.save(update_fields=["language"])
    mailbox = make_mailbox(workspace, smtp_host="mail.anadolu.test", smtp_port=465)
    ticket = ingest.receive_and_process(mailbox, build_mail(), source="pipe").ticket
    queued = notify.new_ticket(ticket=ticket, message=ticket.messages.get())
    texts = {outbound.to[0]: (outbound.subject, outbound.body) for outbound in queued}
    subject, body = texts[agent.email]
    assert subject == f"New ticket: {ticket.code}"
    assert body.startswith(f"The new ticket {ticket.code} is waiting to be assigned.\n\n")
    assert body.endswith("\n-- \nThis notification was sent automatically by Destek.")
    subject, body = texts[admin.email]
    assert subject == f"Yeni talep: {ticket.code}"
    assert body.endswith("\n-- \nBu bildirimi Destek otomatik olarak gönderdi.")
