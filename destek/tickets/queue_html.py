"""The queue's rows as HTML, built in Python (as the ticket timeline is, see timeline_html).

Fifty rows through the template engine — an include, a URL tag, an SLA inclusion tag and
several date filters per row — took most of the queue page's time (DESIGN §9: p95 ≤ 50 ms).
The markup is the one the template had. The SLA cell comes from the SLA app, like the
``{% sla_cell %}`` tag the template used.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from destek.accounts.models import Workspace
from destek.sla import display  # as the template's {% sla_cell %} did
from destek.sla.services import SlaSetup
from destek.tickets.models import Ticket

_NOTHING = SafeString('<span class="muted">—</span>')
# Stands in for a ticket number in a URL reversed once per page.
_NUMBER = 2_147_483_647


def render_rows(tickets: Sequence[Ticket], workspace: Workspace) -> SafeString:
    if not tickets:
        return format_html(
            '<tr><td colspan="9" class="muted">{}</td></tr>', _("Bu kuyrukta eşleşen talep yok.")
        )
    url = reverse("ticket_detail", args=[workspace.slug, _NUMBER])
    setup, now = SlaSetup(workspace), display.current_time()
    rows = (
        (_row(ticket, url.replace(str(_NUMBER), str(ticket.number)), setup, now),)
        for ticket in tickets
    )
    return format_html_join("", "{}", rows)


def _row(ticket: Ticket, url: str, setup: SlaSetup, now: datetime) -> SafeString:
    updated = timezone.localtime(ticket.updated_at)
    short_updated = formats.date_format(updated, "j M H:i")
    category = ticket.category
    critical = category is not None and category.is_critical
    assignee = ticket.assignee.display_name if ticket.assignee else ""
    customer = ticket.customer.display_name
    return format_html(
        "<tr>"
        '<td><input type="checkbox" name="tickets" value="{}" aria-label="{}"></td>'
        '<td class="nowrap"><a href="{}">{}</a></td>'
        '<td><a href="{}">{}</a>{}<div class="show-sm muted small">{}{} · {} · {}</div></td>'
        '<td class="hide-sm">{}</td>'
        "<td>{}</td>"
        '<td class="nowrap">{}</td>'
        '<td class="hide-sm">{}</td>'
        '<td class="hide-sm">{}</td>'
        '<td class="hide-sm nowrap"><time datetime="{}">{}</time></td>'
        "</tr>",
        ticket.number,
        _("%(code)s seç") % {"code": ticket.code},
        url,
        ticket.code,
        url,
        ticket.subject,
        format_html_join("", '<span class="tag">{}</span>', ((t.name,) for t in ticket.tags.all())),
        format_html('<span class="critical">⚠ {}</span> · ', category.name) if critical else "",
        customer,
        assignee or _("Atanmamış"),
        short_updated,
        customer,
        badges(ticket),
        _sla_cell(ticket, setup, now),
        _category(ticket),
        assignee or format_html('<span class="muted">{}</span>', _("Atanmamış")),
        formats.date_format(updated, "c"),
        short_updated,
    )


def badges(ticket: Ticket) -> SafeString:
    return format_html(
        '<span class="badge status-{}">{}</span> <span class="badge prio-{}" title="{}">{}</span>',
        ticket.status,
        ticket.get_status_display(),
        ticket.priority,
        ticket.get_priority_display(),
        ticket.priority,
    )


def _category(ticket: Ticket) -> SafeString:
    category = ticket.category
    if category is None:
        return _NOTHING
    if category.is_critical:
        return format_html(
            '<span class="critical" title="{}">⚠ {}</span>', _("Kritik kategori"), category.name
        )
    return format_html("<span>{}</span>", category.name)


def _sla_cell(ticket: Ticket, setup: SlaSetup, now: datetime) -> SafeString:
    """The next clock's time left, compact (what sla/_queue_cell.html showed)."""
    view = display.next_view(ticket, setup, now)
    if view is None:
        return _NOTHING
    title = str(view.label)
    if view.due_at:
        title += " · " + formats.date_format(timezone.localtime(view.due_at), "j M H:i")
    if view.state == display.PAUSED:
        title += " · " + _("duraklatıldı (beklemede)")
        text = _("durdu")
    else:
        text = view.left_text()
    return format_html('<span class="sla sla-{}" title="{}">{}</span>', view.state, title, text)
