"""Running a workspace's rules on a ticket when something happens to it.

Rules run in their order; each one that matches applies its actions through the named ticket
actions with ``via_rule`` set, so the timeline names the rule and the changes never start
rules again (the receivers ignore changes made by a rule, and nothing runs while rules run).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone

from destek.accounts.models import Membership
from destek.automation.cache import rules_for
from destek.automation.compiled import CompiledRule, word_string
from destek.automation.models import Trigger
from destek.tickets import actions
from destek.tickets.actions import ActionError
from destek.tickets.canned import canned_variables, fill_variables
from destek.tickets.models import CannedReply, Category, Message, MessageKind, Team, Ticket

logger = logging.getLogger(__name__)

# True while rules run in this thread/task: whatever their actions set off is not a new event.
_running: ContextVar[bool] = ContextVar("automation_running", default=False)


class Facts:
    """What conditions look at, each read on first use: a rule on priority alone never loads
    the mail's body, and only a rule on the mailbox asks the database for it."""

    def __init__(self, ticket: Ticket, message: Message | None, now: datetime) -> None:
        self.ticket = ticket
        self.message = message
        self.now = now

    @property
    def category_id(self) -> int | None:
        return self.ticket.category_id

    @property
    def priority(self) -> str:
        return self.ticket.priority

    @property
    def status(self) -> str:
        return self.ticket.status

    @cached_property
    def subject_words(self) -> str:
        return word_string(self.ticket.subject)

    @cached_property
    def _customer_message(self) -> Message | None:
        if self.message is not None and self.message.kind == MessageKind.CUSTOMER:
            return self.message
        return (
            Message.objects.filter(ticket_id=self.ticket.pk, kind=MessageKind.CUSTOMER)
            .order_by("-created_at", "-pk")
            .first()
        )

    @cached_property
    def body_words(self) -> str:
        """The customer's words: the new part of an emailed reply, else the whole text."""
        message = self._customer_message
        return word_string(message.visible_text or message.text) if message else " "

    @cached_property
    def sender(self) -> str:
        message = self.message
        if message is not None and message.customer_id is not None:
            return message.customer.email.lower()
        return self.ticket.customer.email.lower()

    @cached_property
    def mailbox_id(self) -> int | None:
        """The mailbox the customer's mail came in through (None for a ticket typed in)."""
        from destek.mail.models import MessageEnvelope

        envelopes = MessageEnvelope.objects.filter(inbound__isnull=False)
        message = self._customer_message
        if message is not None:
            envelopes = envelopes.filter(ticket_message=message)
        else:
            envelopes = envelopes.filter(ticket_id=self.ticket.pk)
        return envelopes.order_by("pk").values_list("mailbox_id", flat=True).first()

    @cached_property
    def in_business_hours(self) -> bool:
        from destek.sla.services import load_calendar

        workspace = self.ticket.workspace
        calendar = load_calendar(workspace)
        span = calendar.open_span(timezone.localtime(self.now, calendar.zone).date())
        return span is not None and span[0] <= self.now < span[1]


@dataclass(frozen=True)
class RuleAgent:
    """Who a canned reply sent by a rule speaks as: the workspace, not a person."""

    display_name: str
    email: str = ""


def _set_priority(ticket: Ticket, value: object, via: str) -> Ticket:
    return actions.set_priority(ticket=ticket, actor=None, priority=str(value), via_rule=via)


def _set_category(ticket: Ticket, value: object, via: str) -> Ticket:
    category = Category.objects.get(workspace_id=ticket.workspace_id, pk=value)
    return actions.set_category(ticket=ticket, actor=None, category=category, via_rule=via)


def _set_team(ticket: Ticket, value: object, via: str) -> Ticket:
    team = Team.objects.get(workspace_id=ticket.workspace_id, pk=value)
    return actions.set_team(ticket=ticket, actor=None, team=team, via_rule=via)


def _set_assignee(ticket: Ticket, value: object, via: str) -> Ticket:
    membership = (
        Membership.objects.agents()
        .select_related("user")
        .get(workspace_id=ticket.workspace_id, user_id=value)
    )
    return actions.assign(ticket=ticket, actor=None, assignee=membership.user, via_rule=via)


def _add_tags(ticket: Ticket, value: object, via: str) -> Ticket:
    names = [*ticket.tags.values_list("name", flat=True), *value]  # type: ignore[misc]
    return actions.set_tags(ticket=ticket, actor=None, names=names, via_rule=via)


def _set_status(ticket: Ticket, value: object, via: str) -> Ticket:
    return actions.change_status(ticket=ticket, actor=None, status=str(value), via_rule=via)


def _add_note(ticket: Ticket, value: object, via: str) -> Ticket:
    return actions.add_note(ticket=ticket, actor=None, text=str(value), via_rule=via).ticket


def _send_canned(ticket: Ticket, value: object, via: str) -> Ticket:
    canned = CannedReply.objects.shared().get(workspace_id=ticket.workspace_id, pk=value)
    ticket = Ticket.objects.select_related("workspace", "customer").get(pk=ticket.pk)
    agent = RuleAgent(display_name=ticket.workspace.name)
    text = fill_variables(canned.body, canned_variables(ticket=ticket, agent=agent))  # type: ignore[arg-type]
    return actions.reply(ticket=ticket, actor=None, text=text, via_rule=via).ticket


HANDLERS: dict[str, Callable[[Ticket, object, str], Ticket]] = {
    "set_priority": _set_priority,
    "set_category": _set_category,
    "set_team": _set_team,
    "set_assignee": _set_assignee,
    "add_tags": _add_tags,
    "set_status": _set_status,
    "add_note": _add_note,
    "send_canned": _send_canned,
}
ROUTING = frozenset({"set_category", "set_team"})


def apply(rule: CompiledRule, ticket: Ticket) -> Ticket:
    """Run the rule's actions in order; one that cannot apply (a deleted category, a move the
    status machine refuses) is skipped and logged, the others still run."""
    for kind, value in rule.actions:
        try:
            with transaction.atomic():
                ticket = HANDLERS[kind](ticket, value, rule.name)
        except (ActionError, ObjectDoesNotExist) as exc:
            logger.warning(
                "rule %s: %s skipped on ticket %s (%s)",
                rule.pk,
                kind,
                ticket.pk,
                type(exc).__name__,
            )
    return ticket


def run(
    trigger: str, *, ticket: Ticket, message: Message | None = None, now: datetime | None = None
) -> list[str]:
    """Apply the workspace's active rules for ``trigger`` to ``ticket``; returns the names of
    the rules that matched. Costs no query when the workspace has no rule for ``trigger``."""
    if _running.get():
        return []
    rules = rules_for(ticket.workspace_id, trigger)
    if not rules:
        return []
    token = _running.set(True)
    try:
        facts = Facts(ticket, message, now or timezone.now())
        matched, routed = [], False
        for rule in rules:
            if rule.matches(facts):
                facts.ticket = apply(rule, facts.ticket)
                matched.append(rule.name)
                routed = routed or any(kind in ROUTING for kind, _value in rule.actions)
    finally:
        _running.reset(token)
    if routed and trigger != Trigger.TICKET_CREATED:
        # A new ticket is routed by the arrival flow after the rules; later on, a rule that
        # moved the ticket to another category or team hands it to that team's assignment.
        from destek.tickets.assignment import route_and_assign

        route_and_assign(Ticket.objects.select_related("workspace", "category").get(pk=ticket.pk))
    return matched
