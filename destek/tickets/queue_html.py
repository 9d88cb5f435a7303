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
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from destek.accounts.models import Workspace
from destek.lib.html_text import PageText, esc
from destek.sla import display  # as the template's {% sla_cell %} did
from destek.sla.services import SlaSetup
from destek.tickets.models import Ticket

_NOTHING = SafeString('<span class="muted">—</span>')
# Stands in for a ticket number in a URL reversed once per page.
_NUMBER = 2_147_483_647


# Marked for translation here, translated once per page (PageText.text).
_SELECT = gettext_noop("%(code)s seç")
_UNASSIGNED = gettext_noop("Atanmamış")
_CRITICAL = gettext_noop("Kritik kategori")
_PAUSED_TITLE = gettext_noop("duraklatıldı (beklemede)")
_PAUSED = gettext_noop("durdu")


def render_rows(tickets: Sequence[Ticket], workspace: Workspace) -> SafeString:
    if not tickets:
        return format_html(
            '<tr><td colspan="9" class="muted">{}</td></tr>', _("Bu kuyrukta eşleşen talep yok.")
        )
    url = reverse("ticket_detail", args=[workspace.slug, _NUMBER])
    setup, now, texts = SlaSetup.for_page(workspace), display.current_time(), PageText()
    return mark_safe(  # noqa: S308 - every part escapes what it shows
        "".join(
            _row(ticket, url.replace(str(_NUMBER), str(ticket.number)), setup, now, texts)
            for ticket in tickets
        )
    )


def _row(ticket: Ticket, url: str, setup: SlaSetup, now: datetime, texts: PageText) -> str:
    updated = timezone.localtime(ticket.updated_at)
    short_updated = texts.short_date(updated)
    code = esc(ticket.code)
    subject = esc(ticket.subject)
    category = ticket.category
    critical = ""
    if category is not None and category.is_critical:
        critical = f'<span class="critical">⚠ {esc(category.name)}</span> · '
    assignee = esc(ticket.assignee.display_name) if ticket.assignee else ""
    customer = esc(ticket.customer.display_name)
    unassigned = texts.text(_UNASSIGNED)
    assignee_cell = assignee or f'<span class="muted">{unassigned}</span>'
    tags = "".join(f'<span class="tag">{esc(tag.name)}</span>' for tag in _tags(ticket))
    choose = texts.text(_SELECT) % {"code": code}
    return (
        "<tr>"
        f'<td><input type="checkbox" name="tickets" value="{ticket.number}" '
        f'aria-label="{choose}"></td>'
        f'<td class="nowrap"><a href="{url}">{code}</a></td>'
        f'<td><a href="{url}">{subject}</a>{tags}<div class="show-sm muted small">{critical}'
        f"{customer} · {assignee or unassigned} · {short_updated}</div></td>"
        f'<td class="hide-sm">{customer}</td>'
        f"<td>{_badges(ticket, texts)}</td>"
        f'<td class="nowrap">{_sla_cell(ticket, setup, now, texts)}</td>'
        f'<td class="hide-sm">{_category(ticket, texts)}</td>'
        f'<td class="hide-sm">{assignee_cell}</td>'
        f'<td class="hide-sm nowrap"><time datetime="{updated.isoformat()}">{short_updated}'
        "</time></td></tr>"
    )


def _tags(ticket: Ticket) -> list:
    listed = getattr(ticket, "list_tags", None)  # read with the page (rows_in_order)
    return listed if listed is not None else list(ticket.tags.all())


def badges(ticket: Ticket) -> SafeString:
    return mark_safe(_badges(ticket, PageText()))  # noqa: S308 - escaped by _badges


def _badges(ticket: Ticket, texts: PageText) -> str:
    status = texts.once(("status", ticket.status), ticket.get_status_display)
    priority = texts.once(("priority", ticket.priority), ticket.get_priority_display)
    return (
        f'<span class="badge status-{esc(ticket.status)}">{status}</span> '
        f'<span class="badge prio-{esc(ticket.priority)}" title="{priority}">'
        f"{esc(ticket.priority)}</span>"
    )


def _category(ticket: Ticket, texts: PageText) -> str:
    category = ticket.category
    if category is None:
        return _NOTHING
    if category.is_critical:
        return (
            f'<span class="critical" title="{texts.text(_CRITICAL)}">⚠ {esc(category.name)}</span>'
        )
    return f"<span>{esc(category.name)}</span>"


def _sla_cell(ticket: Ticket, setup: SlaSetup, now: datetime, texts: PageText) -> str:
    """The next clock's time left, compact (what sla/_queue_cell.html showed)."""
    view = display.next_view(ticket, setup, now)
    if view is None:
        return _NOTHING
    title = texts.once(("clock", view.clock), lambda: view.label)
    if view.due_at:
        title += " · " + texts.short_date(timezone.localtime(view.due_at))
    if view.state == display.PAUSED:
        title += " · " + texts.text(_PAUSED_TITLE)
        text = texts.text(_PAUSED)
    else:
        text = esc(view.left_text())
    return f'<span class="sla sla-{esc(view.state)}" title="{title}">{text}</span>'
