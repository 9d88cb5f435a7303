"""Tickets: the queue with its filters and a cursor, one ticket, create, change, merge."""

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from pydantic import Field

from destek.accounts.models import Membership
from destek.accounts.permissions import Capability
from destek.api.core import (
    check_if_match,
    decode_cursor,
    encode_cursor,
    etag_of,
    idempotent,
    operation,
)
from destek.api.problems import Problem
from destek.api.schemas import (
    CleanSchema,
    PriorityName,
    StatusName,
    StrictIn,
    TicketIn,
    TicketOut,
    TicketPage,
    TicketPatch,
)
from destek.tickets import actions
from destek.tickets.models import Category, Team, Ticket
from destek.tickets.queries import QUEUES, UNASSIGNED, queue_tickets

router = Router(tags=["tickets"])
READ, WORK = Capability.READ_TICKETS, Capability.WORK_TICKETS


class TicketFilters(CleanSchema):
    queue: str = Field("open", description="unassigned, mine, open, pending, done or all")
    status: StatusName | None = None
    priority: PriorityName | None = None
    category: int | None = None
    team: int | None = None
    assignee: str | None = Field(None, description="a user id, or 'none' for unassigned")
    tag: str | None = Field(None, max_length=50)
    customer: str | None = Field(None, max_length=200, description="part of a name or email")
    cursor: str | None = Field(None, max_length=40)
    limit: int = Field(25, ge=1, le=100)


def ticket_for(request: HttpRequest, number: int) -> Ticket:
    """A ticket of the token's workspace, or 404: another tenant's tickets do not exist here."""
    return get_object_or_404(
        Ticket.objects.select_related("workspace", "customer", "follow_up_of", "merged_into"),
        workspace=request.workspace,
        number=number,
    )


def _out(ticket: Ticket, response: HttpResponse | None = None) -> TicketOut:
    data = TicketOut.from_orm(ticket)
    if response is not None:
        response["ETag"] = etag_of(data)
    return data


@operation(router, "GET", "/tickets", READ, response={200: TicketPage})
def list_tickets(request: HttpRequest, filters: Query[TicketFilters]):
    """The queue: the same tabs and filters as the agent's queue, newest first."""
    if filters.queue not in {*QUEUES, "all"}:
        raise Problem(
            422,
            "invalid-filter",
            "Unknown queue.",
            errors=[{"field": "query.queue", "message": "unknown queue"}],
        )
    if filters.assignee not in (None, UNASSIGNED) and not filters.assignee.isdigit():
        raise Problem(
            422,
            "invalid-filter",
            "assignee: a user id or 'none'.",
            errors=[{"field": "query.assignee", "message": "a user id or 'none'"}],
        )
    wanted = filters.model_dump(exclude={"queue", "cursor", "limit", "team"}, exclude_none=True)
    workspace, user = request.workspace, request.user
    if filters.queue == "all":
        tickets = queue_tickets(workspace, user, "open", wanted) | queue_tickets(
            workspace, user, "done", wanted
        )
    else:
        tickets = queue_tickets(workspace, user, filters.queue, wanted)
    if filters.team is not None:
        tickets = tickets.filter(team_id=filters.team)
    tickets = tickets.select_related("follow_up_of", "merged_into").order_by("-number")
    if filters.cursor:
        tickets = tickets.filter(number__lt=decode_cursor(filters.cursor))
    page = list(tickets[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    return {
        "items": page,
        "next_cursor": encode_cursor(page[-1].number) if more and page else None,
    }


@operation(router, "GET", "/tickets/{number}", READ, response={200: TicketOut})
def get_ticket(request: HttpRequest, number: int, response: HttpResponse):
    return _out(ticket_for(request, number), response)


@operation(router, "POST", "/tickets", WORK, response={201: TicketOut})
@idempotent
def create_ticket(request: HttpRequest, payload: TicketIn):
    """A ticket typed in by an integration (a shop's order page, a phone call); the customer
    is found or created by email."""
    category = _category(request, payload.category)
    with transaction.atomic():
        customer = actions.get_or_create_customer(
            workspace=request.workspace, email=payload.customer_email, name=payload.customer_name
        )
        ticket = actions.create_ticket(
            workspace=request.workspace,
            customer=customer,
            subject=payload.subject,
            text=payload.text,
            actor=request.user,
            priority=payload.priority,
            category=category,
        )
        if payload.tags:
            actions.set_tags(ticket=ticket, actor=request.user, names=payload.tags)
    return Status(201, _out(ticket_for(request, ticket.number)))


def _category(request: HttpRequest, pk: int | None) -> Category | None:
    if pk is None:
        return None
    category = Category.objects.filter(workspace=request.workspace, pk=pk).first()
    if category is None:
        raise _bad_reference("category")
    return category


def _team(request: HttpRequest, pk: int | None) -> Team | None:
    if pk is None:
        return None
    team = Team.objects.filter(workspace=request.workspace, pk=pk).first()
    if team is None:
        raise _bad_reference("team")
    return team


def _assignee(request: HttpRequest, pk: int | None):
    if pk is None:
        return None
    membership = (
        Membership.objects.for_workspace(request.workspace)
        .agents()
        .select_related("user")
        .filter(user_id=pk)
        .first()
    )
    if membership is None:
        raise _bad_reference("assignee")
    return membership.user


def _bad_reference(field: str) -> Problem:
    return Problem(
        422,
        "invalid-reference",
        f"No such {field} in this workspace.",
        errors=[{"field": f"body.{field}", "message": f"no such {field} in this workspace"}],
    )


# Each field of a PATCH goes through its own named action, in this order.
def _apply(request: HttpRequest, ticket: Ticket, changes: dict, payload: TicketPatch) -> Ticket:
    actor = request.user
    if "category" in changes:
        ticket = actions.set_category(
            ticket=ticket, actor=actor, category=_category(request, payload.category)
        )
    if "team" in changes:
        ticket = actions.set_team(ticket=ticket, actor=actor, team=_team(request, payload.team))
    if "priority" in changes and payload.priority:
        ticket = actions.set_priority(ticket=ticket, actor=actor, priority=payload.priority)
    if "assignee" in changes:
        ticket = actions.assign(
            ticket=ticket, actor=actor, assignee=_assignee(request, payload.assignee)
        )
    if "tags" in changes:
        ticket = actions.set_tags(ticket=ticket, actor=actor, names=payload.tags or [])
    if "status" in changes and payload.status:
        ticket = actions.change_status(ticket=ticket, actor=actor, status=payload.status)
    return ticket


@operation(router, "PATCH", "/tickets/{number}", WORK, response={200: TicketOut})
def update_ticket(request: HttpRequest, number: int, payload: TicketPatch, response: HttpResponse):
    """Change status, priority, category, team, assignee or tags; send ``If-Match`` with the
    ETag you read to get 412 instead of overwriting someone else's change."""
    changes = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        ticket = ticket_for(request, number)
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        check_if_match(request, etag_of(TicketOut.from_orm(ticket_for(request, number))))
        _apply(request, ticket, changes, payload)
    return _out(ticket_for(request, number), response)


class MergeIn(StrictIn):
    into: int = Field(..., description="number of the ticket that stays")


@operation(router, "POST", "/tickets/{number}/merge", WORK, response={200: TicketOut})
def merge_ticket(request: HttpRequest, number: int, payload: MergeIn):
    """The customer wrote twice: this ticket's messages, events and tags move to ``into``, and
    this ticket closes pointing at it. Answers with the ticket that stays."""
    ticket = ticket_for(request, number)
    into = ticket_for(request, payload.into)
    actions.merge(ticket=ticket, into=into, actor=request.user)
    return _out(ticket_for(request, into.number))
