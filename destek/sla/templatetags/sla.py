"""``{% load sla %}``: a ticket's SLA standing on the ticket page and in queue rows.

The workspace's policies and calendar are loaded once per rendered template, however many rows
ask, so the queue's query count stays constant (DESIGN §9).
"""

from __future__ import annotations

from django import template

from destek.sla import display
from destek.sla.services import SlaSetup
from destek.tickets.models import Ticket

register = template.Library()


def _setup(context: template.Context, ticket: Ticket) -> SlaSetup:
    setups = context.render_context.get("sla_setups")
    if setups is None:
        setups = context.render_context["sla_setups"] = {}
    if ticket.workspace_id not in setups:
        setups[ticket.workspace_id] = SlaSetup.for_page(ticket.workspace)
    return setups[ticket.workspace_id]


@register.inclusion_tag("sla/_ticket_panel.html", takes_context=True)
def sla_panel(context: template.Context, ticket: Ticket) -> dict[str, object]:
    """Both clocks with due time and time left, for the ticket's side panel."""
    clocks = display.clock_views(ticket, _setup(context, ticket), display.current_time())
    # The note on how time is counted only matters while a clock shows time left.
    counting = any(c.business_hours and c.left is not None for c in clocks)
    return {"clocks": clocks, "business_hours": counting}
