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
from typing import Any

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.template.defaultfilters import filesizeformat, linebreaks_filter
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from destek.lib.email_frame import frame_document
from destek.tickets.models import Message, MessageKind, Ticket
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

    def url(self, name: str, pk: int) -> str:
        if name not in self._urls:
            self._urls[name] = reverse(name, args=[self.slug, self.ticket.number, _ID])
        return self._urls[name].replace(str(_ID), str(pk))

    def csrf_input(self) -> SafeString:
        return format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', self.csrf_token
        )


def render_timeline(entries: Sequence[Entry], page: TimelinePage) -> SafeString:
    # A lone message can't be split off: the ticket would be left empty.
    page.split_allowed = page.can_work and not page.ticket.merged_into_id and len(entries) > 1
    return format_html_join(
        "",
        "{}",
        ((_message(entry.message, page) if entry.message else _event(entry),) for entry in entries),
    )


def _event(entry: Entry) -> str:
    local = timezone.localtime(entry.at)
    return format_html(
        '<li class="event"><time datetime="{}" title="{}">{}</time> · {}</li>',
        formats.date_format(local, "c"),
        formats.date_format(local, "j F Y H:i"),
        formats.date_format(local, "j M H:i"),
        entry.sentence,
    )


def _message(message: Message, page: TimelinePage) -> str:
    local = timezone.localtime(message.created_at)
    note_label = ""
    if message.kind == MessageKind.NOTE:
        note_label = format_html(
            '<div class="note-label">{}</div>', _("Dahili not — müşteriye asla gösterilmez")
        )
    if message.visible_text:
        body = format_html(
            '<div class="body">{}</div><details class="full-text"><summary>{}</summary>'
            '<div class="body">{}</div></details>',
            linebreaks_filter(message.visible_text, autoescape=True),
            _("Tümünü göster"),
            _full_body(message, page),
        )
    else:
        body = format_html('<div class="body">{}</div>', _full_body(message, page))
    return format_html(
        '<li id="m{}"><article class="message message-{}">{}<header><strong>{}</strong> '
        '<span class="muted small">{}</span> <time class="muted small" datetime="{}" title="{}">'
        "{}</time></header>{}{}{}{}</article></li>",
        message.pk,
        message.kind,
        note_label,
        _author(message, page),
        _verb(message),
        formats.date_format(local, "c"),
        formats.date_format(local, "j F Y H:i"),
        naturaltime(message.created_at),
        body,
        _attachments(message, page),
        _mail_meta(message, page),
        _split_form(message, page),
    )


def _author(message: Message, page: TimelinePage) -> str:
    if message.kind == MessageKind.CUSTOMER:
        customer = message.customer or page.ticket.customer
        return conditional_escape(customer.display_name or page.ticket.customer.display_name)
    if message.via_rule:
        return format_html(
            '<span class="badge">{}</span>', _("Kural: %(name)s") % {"name": message.via_rule}
        )
    return conditional_escape(
        (message.author.display_name if message.author else "") or _("Sistem")
    )


_VERBS = {
    MessageKind.REPLY: lambda: _("yanıtladı"),
    MessageKind.CUSTOMER: lambda: _("yazdı"),
    MessageKind.NOTE: lambda: _("not ekledi"),
}


def _verb(message: Message) -> str:
    verb = _VERBS.get(message.kind)
    return verb() if verb else ""


def _full_body(message: Message, page: TimelinePage) -> str:
    """The whole mail: a received HTML mail framed, our own (sanitised) HTML as it is, text
    with its line breaks."""
    if message.html and message.kind == MessageKind.CUSTOMER:
        return mail_frame_html(message, remote_images_for=page.remote_images_for)
    if message.html:
        return mark_safe(message.html)  # noqa: S308 - sanitised when stored (tickets.actions)
    return linebreaks_filter(message.text, autoescape=True)


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
    return format_html(
        '<form class="split-form" method="post" action="{}">{}<button class="link small" '
        'type="submit" title="{}">{}</button></form>',
        page.url("message_split", message.pk),
        page.csrf_input(),
        _("Bu mesajı yeni bir talep olarak ayır"),
        _("Ayrı talep yap"),
    )


def group_by(rows: Iterable[Any], key: str) -> dict[int, list[Any]]:
    """Rows of one query by the message they belong to: what prefetch_related would give,
    without its per-message manager set-up, which cost more than the query at 200 messages."""
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped
