"""Filling a canned reply's variables (DESIGN §6).

Deliberately not the Django template engine: canned replies are written by admins and agents and
pasted into customer mail, so they must not be able to reach tags, filters or object attributes.
Only the names in :data:`VARIABLES` are replaced. Saving a reply with any other ``{{ … }}`` is
refused (:func:`unknown_variables`), so a typo is caught before a customer could see it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import User
from destek.tickets.models import Ticket

_VARIABLE = re.compile(r"\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*\}\}")
# Anything that looks like a placeholder, however mistyped: what saving checks.
_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)

# The names a canned reply may use, with what they stand for (shown on the edit forms).
VARIABLES: dict[str, object] = {
    "customer.name": _("müşterinin adı soyadı"),
    "customer.first_name": _("müşterinin adı"),
    "customer.email": _("müşterinin e-postası"),
    "ticket.code": _("talebin kodu"),
    "ticket.subject": _("talebin konusu"),
    "ticket.first_response_due": _("ilk yanıt için son süre"),
    "ticket.resolution_due": _("çözüm için son süre"),
    "agent.name": _("yanıtlayan temsilcinin adı"),
    "agent.email": _("yanıtlayan temsilcinin e-postası"),
    "workspace.name": _("şirketin adı"),
}


def fill_variables(body: str, values: Mapping[str, str]) -> str:
    """Replace ``{{ name }}`` placeholders found in ``values``; leave unknown ones untouched."""

    def substitute(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return match.group(0) if value is None else value

    return _VARIABLE.sub(substitute, body)


def unknown_variables(body: str) -> list[str]:
    """Placeholders in ``body`` that are not in :data:`VARIABLES`, as written, in order."""
    found = []
    for match in _PLACEHOLDER.finditer(body):
        if match.group(1).strip() not in VARIABLES and match.group(0) not in found:
            found.append(match.group(0))
    return found


def _first_name(name: str) -> str:
    return name.split()[0] if name.split() else ""


def due_text(due: datetime | None, ticket: Ticket) -> str:
    """A due time as customers read it: the workspace's time zone and language."""
    if due is None:
        return "—"
    local = due.astimezone(ZoneInfo(ticket.workspace.time_zone))
    with translation.override(ticket.workspace.language):
        return formats.date_format(local, "j F Y H:i")


def canned_variables(*, ticket: Ticket, agent: User) -> dict[str, str]:
    customer = ticket.customer
    return {
        "customer.name": customer.name or customer.email,
        "customer.first_name": _first_name(customer.name) or customer.email,
        "customer.email": customer.email,
        "ticket.code": ticket.code,
        "ticket.subject": ticket.subject,
        "ticket.first_response_due": due_text(ticket.first_response_due_at, ticket),
        "ticket.resolution_due": due_text(ticket.resolution_due_at, ticket),
        "agent.name": agent.display_name,
        "agent.email": agent.email,
        "workspace.name": ticket.workspace.name,
    }


def render_canned(body: str, *, ticket: Ticket, agent: User) -> str:
    return fill_variables(body, canned_variables(ticket=ticket, agent=agent))


def variables_help() -> str:
    """The list of variables for a form's help text."""
    return ", ".join(f"{{{{ {name} }}}} {meaning}" for name, meaning in VARIABLES.items())
