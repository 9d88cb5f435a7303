"""Filling a canned reply's variables (DESIGN §6).

Deliberately not the Django template engine: canned replies are written by admins and pasted
into customer mail, so they must not be able to reach tags, filters or object attributes. Only
the names listed in :func:`canned_variables` are replaced; anything else stays as written, so a
typo is visible in the draft instead of silently vanishing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from destek.accounts.models import User
from destek.tickets.models import Ticket

_VARIABLE = re.compile(r"\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*\}\}")


def fill_variables(body: str, values: Mapping[str, str]) -> str:
    """Replace ``{{ name }}`` placeholders found in ``values``; leave unknown ones untouched."""

    def substitute(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return match.group(0) if value is None else value

    return _VARIABLE.sub(substitute, body)


def canned_variables(*, ticket: Ticket, agent: User) -> dict[str, str]:
    customer = ticket.customer
    return {
        "customer.name": customer.name or customer.email,
        "customer.email": customer.email,
        "ticket.code": ticket.code,
        "ticket.subject": ticket.subject,
        "agent.name": agent.display_name,
        "agent.email": agent.email,
        "workspace.name": ticket.workspace.name,
    }


def render_canned(body: str, *, ticket: Ticket, agent: User) -> str:
    return fill_variables(body, canned_variables(ticket=ticket, agent=agent))
