"""Routing a ticket to its team and automatic assignment within the team (DESIGN §6).

A ticket without a team takes its category's team. A team in ``round_robin`` or ``least_open``
mode then gives an unassigned ticket to one of its members who works tickets (admin or agent),
is marked available ("Müsait") and holds fewer open tickets than their cap. The team row is
locked while choosing, so two tickets arriving together never read the same cursor or counts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from destek.accounts.models import Membership
from destek.tickets import actions, signals
from destek.tickets.models import AssignmentMode, Team, Ticket
from destek.tickets.status import ACTIVE

logger = logging.getLogger(__name__)

AUTOMATIC = (AssignmentMode.ROUND_ROBIN, AssignmentMode.LEAST_OPEN)


@dataclass(frozen=True)
class Candidate:
    membership: Membership
    open_tickets: int


def _team_id(ticket: Ticket) -> int | None:
    # The hot path of ingest: a ticket without team whose (already loaded) category has no team
    # costs no query at all.
    if ticket.team_id is not None:
        return ticket.team_id
    if ticket.category_id is None:
        return None
    return ticket.category.team_id


def candidates(team: Team) -> list[Candidate]:
    """The team's members who may receive a ticket now, in a stable order (membership id)."""
    members = list(
        team.members.agents()
        .filter(workspace_id=team.workspace_id, is_available=True)
        .select_related("user")
        .order_by("pk")
    )
    counts = dict(
        Ticket.objects.filter(
            workspace_id=team.workspace_id,
            status__in=ACTIVE,
            assignee_id__in=[member.user_id for member in members],
        )
        .order_by()
        .values_list("assignee_id")
        .annotate(open_tickets=Count("pk"))
    )
    found = [Candidate(member, counts.get(member.user_id, 0)) for member in members]
    return [
        c
        for c in found
        if c.membership.max_open_tickets is None or c.open_tickets < c.membership.max_open_tickets
    ]


def choose(team: Team, found: list[Candidate]) -> Membership | None:
    """Round-robin: the next member after the cursor (wrapping around); least-open: the fewest
    open tickets, ties to the longest-standing membership."""
    if not found:
        return None
    if team.assignment_mode == AssignmentMode.LEAST_OPEN:
        return min(found, key=lambda c: (c.open_tickets, c.membership.pk)).membership
    cursor = team.last_assigned_id or 0
    after = [c for c in found if c.membership.pk > cursor]
    return (after or found)[0].membership


def route_and_assign(ticket: Ticket) -> Ticket:
    """Route ``ticket`` to its category's team if it has none, then assign it automatically if
    its team says so and nobody holds it. Returns the ticket as it now stands."""
    if _team_id(ticket) is None:
        return ticket
    with transaction.atomic():
        # Decide on the row as it is now (a rule may have changed it since ``ticket`` was read);
        # lock order everywhere: the ticket, then the team.
        current = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("category")
            .get(pk=ticket.pk)
        )
        team_id = _team_id(current)
        team = Team.objects.filter(pk=team_id, workspace_id=current.workspace_id).first()
        if team is None:
            return current
        if current.team_id is None:
            current = actions.set_team(ticket=current, actor=None, team=team)
        if (
            current.assignee_id is not None
            or current.status not in ACTIVE
            or team.assignment_mode not in AUTOMATIC
        ):
            return current
        team = Team.objects.select_for_update().get(pk=team.pk)
        chosen = choose(team, candidates(team))
        if chosen is None:
            logger.info("team %s: nobody available for ticket %s", team.pk, current.pk)
            return current
        current = actions.assign(ticket=current, actor=None, assignee=chosen.user)
        Team.objects.filter(pk=team.pk).update(last_assigned=chosen)
    return current


def on_ticket_created(sender: object, *, ticket: Ticket, **kwargs: object) -> None:
    """``ticket_created`` (on commit): first the automation rules (``ticket_arrived``), then
    routing and automatic assignment of the ticket as the rules left it.

    A ``ticket_arrived`` receiver returns something truthy when it changed the ticket; only then
    is the ticket read again, so a new ticket no rule touched costs no query here.

    Connected in ``TicketsConfig.ready``, before the mail app's receivers, so the "new ticket
    waits unassigned" notification already sees the automatic assignee."""
    changed = False
    for receiver, result in signals.ticket_arrived.send_robust(sender=Ticket, ticket=ticket):
        if isinstance(result, Exception):
            logger.error(
                "ticket_arrived receiver %r failed for ticket %s",
                receiver,
                ticket.pk,
                exc_info=result,
            )
        changed = changed or bool(result)
    if changed:
        ticket = Ticket.objects.select_related("workspace", "category").get(pk=ticket.pk)
    try:
        route_and_assign(ticket)
    except Exception:
        # The ticket is stored; a failed assignment leaves it in the team or unassigned queue.
        logger.exception("automatic assignment failed for ticket %s", ticket.pk)
