"""The ticket page's timeline as HTML, built in Python.

A conversation of 200 messages through Django's template engine cost more than the whole page
may (DESIGN §9: ticket page p95 ≤ 80 ms): every ``{% include %}``, ``{% url %}`` and filter runs
once per message. Here each entry is one ``format_html`` call, URLs are reversed once per page
and the attachments and outbox rows arrive grouped by message. The markup is the one the
template had; ``tickets/_mail_frame.html`` (a received mail's HTML) is rendered by the same
function as the ``{% mail_frame %}`` tag.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from destek.accounts.models import User
from destek.lib.email_frame import frame_document
from destek.lib.html_text import PageText, esc, linebreaks
from destek.tickets.models import Customer, Message, MessageKind, Ticket
from destek.tickets.timeline import Entry

# Stands in for a message's (or outbox row's) id in a URL reversed once per page.
_ID = 2_147_483_647


@dataclass
class TimelinePage:
    """What every entry of one ticket page shares: who looks, where the links go."""

    ticket: Ticket
    slug: str
    can_work: bool
    csrf_token: str
    remote_images_for: int | None = None
    # A message's attachments and outbox rows, each from one query (see ``group_by``).
    attachments: dict[int, list[Any]] = field(default_factory=dict)
    outbound: dict[int, list[Any]] = field(default_factory=dict)
    split_allowed: bool = False
    _urls: dict[str, str] = field(default_factory=dict)
    texts: PageText = field(default_factory=PageText)
    _csrf_input: str = ""

    def url(self, name: str, pk: int) -> str:
        if name not in self._urls:
            self._urls[name] = reverse(name, args=[self.slug, self.ticket.number, _ID])
        return self._urls[name].replace(str(_ID), str(pk))

    def csrf_input(self) -> SafeString:
        if not self._csrf_input:
            self._csrf_input = format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', self.csrf_token
            )
        return self._csrf_input

    def text(self, source: str) -> str:
        return self.texts.text(source)

    def long_date(self, local: datetime) -> str:
        return self.texts.long_date(local)

    def short_date(self, local: datetime) -> str:
        return self.texts.short_date(local)


def render_timeline(entries: Sequence[Entry], page: TimelinePage) -> SafeString:
    # A lone message can't be split off: the ticket would be left empty.
    page.split_allowed = page.can_work and not page.ticket.merged_into_id and len(entries) > 1
    return mark_safe(  # noqa: S308 - every part escapes what it shows
        "".join(
            _message(entry.message, page) if entry.message else _event(entry, page)
            for entry in entries
        )
    )


def _event(entry: Entry, page: TimelinePage) -> str:
    local = timezone.localtime(entry.at)
    return (
        f'<li class="event"><time datetime="{local.isoformat()}" title="{page.long_date(local)}">'
        f"{page.short_date(local)}</time> · {esc(entry.sentence)}</li>"
    )


def _message(message: Message, page: TimelinePage) -> str:
    local = timezone.localtime(message.created_at)
    note_label = ""
    if message.kind == MessageKind.NOTE:
        note_label = f'<div class="note-label">{page.text(_NOTE_LABEL)}</div>'
    if message.visible_text:
        body = (
            f'<div class="body">{linebreaks(message.visible_text)}</div>'
            f'<details class="full-text"><summary>{page.text(_SHOW_ALL)}</summary>'
            f'<div class="body">{_full_body(message, page)}</div></details>'
        )
    else:
        body = f'<div class="body">{_full_body(message, page)}</div>'
    return (
        f'<li id="m{message.pk}"><article class="message message-{esc(message.kind)}">'
        f"{note_label}<header><strong>{_author(message, page)}</strong> "
        f'<span class="muted small">{_verb(message, page)}</span> '
        f'<time class="muted small" datetime="{local.isoformat()}" '
        f'title="{page.long_date(local)}">{esc(naturaltime(message.created_at))}</time>'
        f"</header>{body}{_attachments(message, page)}{_mail_meta(message, page)}"
        f"{_split_form(message, page)}</article></li>"
    )


def _author(message: Message, page: TimelinePage) -> str:
    if message.kind == MessageKind.CUSTOMER:
        customer = message.customer or page.ticket.customer
        return esc(customer.display_name or page.ticket.customer.display_name)
    if message.via_rule:
        return format_html(
            '<span class="badge">{}</span>', _("Kural: %(name)s") % {"name": message.via_rule}
        )
    author = message.author.display_name if message.author else ""
    return esc(author) if author else page.text(_SYSTEM)


# Marked for translation here, translated once per page by TimelinePage.text.
_NOTE_LABEL = gettext_noop("Dahili not — müşteriye asla gösterilmez")
_SHOW_ALL = gettext_noop("Tümünü göster")
_SYSTEM = gettext_noop("Sistem")
_SPLIT_TITLE = gettext_noop("Bu mesajı yeni bir talep olarak ayır")
_SPLIT = gettext_noop("Ayrı talep yap")
_VERBS = {
    MessageKind.REPLY: gettext_noop("yanıtladı"),
    MessageKind.CUSTOMER: gettext_noop("yazdı"),
    MessageKind.NOTE: gettext_noop("not ekledi"),
}


def _verb(message: Message, page: TimelinePage) -> str:
    verb = _VERBS.get(message.kind)
    return page.text(verb) if verb else ""


def _full_body(message: Message, page: TimelinePage) -> str:
    """The whole mail: a received HTML mail framed, our own (sanitised) HTML as it is, text
    with its line breaks."""
    if message.html and message.kind == MessageKind.CUSTOMER:
        return mail_frame_html(message, remote_images_for=page.remote_images_for)
    if message.html:
        return mark_safe(message.html)  # noqa: S308 - sanitised when stored (tickets.actions)
    return linebreaks(message.text)


def mail_frame_html(message: Message, *, remote_images_for: int | None) -> SafeString:
    """A received mail's HTML in a sandboxed frame (no script, no same-origin) with remote
    images held back, and the control that loads them for this one message."""
    allowed = remote_images_for == message.pk
    document = frame_document(message.html, remote_images=allowed)
    frame = format_html(
        '<iframe class="mail-frame" sandbox="allow-popups allow-popups-to-escape-sandbox" '
        'referrerpolicy="no-referrer" loading="lazy" title="{}" srcdoc="{}"></iframe>',
        _("E-postanın HTML görünümü"),
        document.srcdoc,
    )
    if not document.blocked_images:
        return frame
    count = document.blocked_images
    return format_html(
        '{}<p class="small muted remote-images">{} <a href="?images={}#m{}">{}</a></p>',
        frame,
        ngettext(
            "Gizliliğiniz için %(count)s uzak görsel yüklenmedi.",
            "Gizliliğiniz için %(count)s uzak görsel yüklenmedi.",
            count,
        )
        % {"count": count},
        message.pk,
        message.pk,
        _("Uzak görselleri yükle"),
    )


def _attachments(message: Message, page: TimelinePage) -> str:
    files = page.attachments.get(message.pk, ())
    if not files:
        return ""
    return format_html(
        '<ul class="attachments">{}</ul>',
        format_html_join(
            "",
            '<li><a href="{}" download>{}</a> <span class="muted small">{}</span></li>',
            (
                (page.url("attachment_download", a.pk), a.filename, filesizeformat(a.size))
                for a in files
            ),
        ),
    )


def _mail_meta(message: Message, page: TimelinePage) -> str:
    """The email side of a message: its raw original and the state of what we sent."""
    outs = page.outbound.get(message.pk, ())
    if hasattr(message, "raw_inbound_id"):  # annotated by the ticket page's query
        has_raw = message.raw_inbound_id is not None
    else:
        envelope = getattr(message, "envelope", None)
        has_raw = envelope is not None and envelope.inbound_id is not None
    if not has_raw and not outs:
        return ""
    raw = ""
    if has_raw:
        raw = format_html(
            '<a href="{}" download>{}</a>',
            page.url("message_eml", message.pk),
            _("Ham e-posta (.eml)"),
        )
    return format_html(
        '<div class="mail-meta small">{}{}</div>',
        raw,
        format_html_join("", "{}", ((_outbox_row(out, page),) for out in outs)),
    )


def _outbox_row(out: Any, page: TimelinePage) -> str:
    kind = "" if out.kind == "reply" else f"{out.get_kind_display()}: "
    sent = ""
    if out.status == "sent" and out.sent_at:
        local = timezone.localtime(out.sent_at)
        sent = format_html(
            '<time class="muted" datetime="{}">{}</time>',
            formats.date_format(local, "c"),
            formats.date_format(local, "SHORT_DATETIME_FORMAT"),
        )
    problem = ""
    if out.status == "failed":
        problem = format_html(
            '<span class="error-text break">{}</span>', out.last_error or _("Gönderilemedi.")
        )
        if page.can_work:
            problem += format_html(
                '<form method="post" action="{}">{}<button class="btn-secondary" type="submit">'
                "{}</button></form>",
                page.url("outbound_resend", out.pk),
                page.csrf_input(),
                _("Tekrar gönder"),
            )
    elif out.last_error:
        problem = format_html(
            '<span class="muted break">{}</span>',
            _("Yeniden denenecek: %(error)s") % {"error": out.last_error},
        )
    if out.copy_state == "failed":
        # The mail went out; only its copy in the mailbox's Sent folder is missing.
        problem += format_html(
            '<span class="muted break">{}</span>',
            _("Gönderilmiş klasörüne kopyalanamadı: %(error)s") % {"error": out.copy_error},
        )
    return format_html(
        '<div class="outbox outbox-{}"><span class="badge outbox-badge">{}{}</span>{}{}</div>',
        out.status,
        kind,
        out.get_status_display(),
        sent,
        problem,
    )


def _split_form(message: Message, page: TimelinePage) -> str:
    if not page.split_allowed or message.kind == MessageKind.SYSTEM:
        return ""
    return (
        f'<form class="split-form" method="post" action="{page.url("message_split", message.pk)}">'
        f'{page.csrf_input()}<button class="link small" type="submit" '
        f'title="{page.text(_SPLIT_TITLE)}">'
        f"{page.text(_SPLIT)}</button></form>"
    )


def attach_people(
    messages: Sequence[Message], *, users: Iterable[User], customers: Iterable[Customer]
) -> None:
    """Give each message its author and customer from people already loaded, reading only
    the ones missing (a former agent, a customer in Cc) with one query each."""
    known_users = {user.pk: user for user in users}
    known_customers = {customer.pk: customer for customer in customers}
    missing_users = {m.author_id for m in messages if m.author_id} - known_users.keys()
    if missing_users:
        known_users.update(User.objects.in_bulk(missing_users))
    missing_customers = {m.customer_id for m in messages if m.customer_id} - known_customers.keys()
    if missing_customers:
        known_customers.update(Customer.objects.in_bulk(missing_customers))
    author, customer = Message._meta.get_field("author"), Message._meta.get_field("customer")
    for message in messages:
        author.set_cached_value(message, known_users.get(message.author_id))
        customer.set_cached_value(message, known_customers.get(message.customer_id))


def group_by(rows: Iterable[Any], key: str) -> dict[int, list[Any]]:
    """Rows of one query by the message they belong to: what prefetch_related would give,
    without its per-message manager set-up, which cost more than the query at 200 messages."""
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped
