"""Where rules start: the ticket signals (all sent after the change committed) and the SLA's."""

from __future__ import annotations

import logging

from destek.automation import engine
from destek.automation.models import Trigger
from destek.tickets.models import Message, MessageKind, Ticket

logger = logging.getLogger(__name__)


def _run(trigger: str, ticket: Ticket, message: Message | None = None) -> list[str]:
    # The change that set this off is committed; a broken rule must not turn it into an error.
    try:
        return engine.run(trigger, ticket=ticket, message=message)
    except Exception:
        logger.exception("automation rules (%s) failed for ticket %s", trigger, ticket.pk)
        return []


def on_ticket_arrived(sender: object, *, ticket: Ticket, **kwargs: object) -> list[str]:
    """A new ticket, before routing and automatic assignment see it."""
    return _run(Trigger.TICKET_CREATED, ticket, getattr(ticket, "first_message", None))


def on_message_created(
    sender: object, *, ticket: Ticket, message: Message, **kwargs: object
) -> list[str]:
    if message.kind != MessageKind.CUSTOMER:
        return []
    return _run(Trigger.CUSTOMER_REPLIED, ticket, message)


def on_ticket_updated(
    sender: object, *, ticket: Ticket, changed: list[str], via_rule: str = "", **kwargs: object
) -> list[str]:
    if "status" not in changed or via_rule:
        return []
    return _run(Trigger.STATUS_CHANGED, ticket)


SLA_TRIGGERS = {"sla_warning": Trigger.SLA_NEAR_BREACH, "sla_breach": Trigger.SLA_BREACHED}


def on_sla_alert(sender: object, *, ticket: Ticket, kind: str, **kwargs: object) -> list[str]:
    return _run(SLA_TRIGGERS[kind], ticket)


def connect() -> None:
    from destek.accounts.signals import workspace_created
    from destek.automation.setup import seed_workspace
    from destek.sla.signals import sla_alert_raised
    from destek.tickets import signals

    signals.ticket_arrived.connect(on_ticket_arrived, dispatch_uid="automation.created")
    signals.message_created.connect(on_message_created, dispatch_uid="automation.replied")
    signals.ticket_updated.connect(on_ticket_updated, dispatch_uid="automation.status")
    sla_alert_raised.connect(on_sla_alert, dispatch_uid="automation.sla")
    workspace_created.connect(seed_workspace, dispatch_uid="automation.seed_workspace")
