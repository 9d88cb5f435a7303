"""Loading tickets, customers and attachments for a request: the only way views reach them.

Every helper scopes the lookup to ``request.workspace`` (set by the permission layer), so an
object of another workspace is simply not found (404) — cross-tenant access has no code path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from destek.accounts.models import Membership, User, Workspace
from destek.accounts.settings_cache import remembered
from destek.tickets.models import Attachment, CannedReply, Category, Customer, Team, Ticket


def get_ticket_for(request: HttpRequest, number: int) -> Ticket:
    """The ticket with this tracking number in the request's workspace, or 404."""
    workspace = request.workspace
    ticket = get_object_or_404(
        Ticket.objects.select_related("customer", "customer__organization"),
        workspace=workspace,
        number=number,
    )
    # The workspace is the request's (a follow-up's too): attached, not joined; so are the
    # assignee, category and team, from the lists kept for pages. PostgreSQL plans a join of
    # seven tables in about 2 ms, of three in a fraction of that.
    ticket.workspace = workspace
    attach_kept([ticket], workspace, ("assignee", "category", "team"))
    if ticket.follow_up_of_id is not None:
        ticket.follow_up_of = Ticket.objects.for_workspace(workspace).get(pk=ticket.follow_up_of_id)
    return ticket


def attach_kept(tickets: Sequence[Ticket], workspace: Workspace, fields: Iterable[str]) -> None:
    """Set each ticket's ``fields`` (assignee, category, team) from the lists kept for pages
    instead of joining their tables. What a list lacks (a former agent, say) is read in one
    query per field, so a page's query count stays constant."""
    for field in fields:
        descriptor = getattr(Ticket, field)
        kept = {item.pk: item for item in _KEPT[field](workspace)}
        missing: dict[int, list[Ticket]] = {}
        for ticket in tickets:
            pk = getattr(ticket, descriptor.field.attname)
            if pk is None:
                continue
            if pk in kept:
                descriptor.field.set_cached_value(ticket, kept[pk])
            else:
                missing.setdefault(pk, []).append(ticket)
        if missing:
            model = descriptor.field.related_model
            for pk, item in model._base_manager.in_bulk(list(missing)).items():
                for ticket in missing[pk]:
                    descriptor.field.set_cached_value(ticket, item)


def get_tickets_for(request: HttpRequest, numbers: Iterable[int]) -> QuerySet[Ticket]:
    """Tickets of the request's workspace among ``numbers``; unknown numbers are left out."""
    return (
        Ticket.objects.for_workspace(request.workspace)
        .filter(number__in=list(numbers))
        .select_related("workspace", "assignee")
        .order_by("number")
    )


def get_customer_for(request: HttpRequest, pk: int) -> Customer:
    return get_object_or_404(
        Customer.objects.select_related("organization"), workspace=request.workspace, pk=pk
    )


def get_attachment_for(request: HttpRequest, number: int, attachment_id: int) -> Attachment:
    """An attachment of the given ticket: the ticket number must match too, so a link can't be
    re-pointed at another ticket's file."""
    return get_object_or_404(
        Attachment,
        workspace=request.workspace,
        message__ticket__workspace=request.workspace,
        message__ticket__number=number,
        pk=attachment_id,
    )


def get_canned_reply_for(request: HttpRequest, pk: int) -> CannedReply:
    """A canned reply the requesting agent may use: shared, or their own personal one."""
    return get_object_or_404(CannedReply.objects.visible_to(request.workspace, request.user), pk=pk)


def workspace_agents(workspace: Workspace) -> list[User]:
    """People a ticket can be assigned to: the workspace's active admins and agents. For pages
    (kept per process by the settings version; see accounts.settings_cache)."""
    return list(remembered(workspace, "agents", lambda: _agents(workspace)))


def _agents(workspace: Workspace) -> list[User]:
    return [
        membership.user
        for membership in Membership.objects.for_workspace(workspace)
        .agents()
        .select_related("user")
        .order_by("user__name", "user__email")
    ]


def canned_replies_for(workspace: Workspace, user: User) -> list[CannedReply]:
    """The canned replies ``user`` may pick on a page: the shared ones and their own, in the
    list's order. For pages, like ``workspace_agents`` (one list per workspace)."""
    every = remembered(workspace, "canned_replies", partial(_all_of, CannedReply, workspace))
    return [reply for reply in every if reply.is_visible_to(user)]


def workspace_categories(workspace: Workspace) -> list[Category]:
    """For pages, like ``workspace_agents``."""
    return list(remembered(workspace, "categories", partial(_all_of, Category, workspace)))


def workspace_teams(workspace: Workspace) -> list[Team]:
    """For pages, like ``workspace_agents``; a team's round-robin cursor is not kept fresh."""
    return list(remembered(workspace, "teams", partial(_all_of, Team, workspace)))


def _all_of(model: type[Model], workspace: Workspace) -> list:
    return list(model.objects.filter(workspace=workspace))


_KEPT: dict[str, Callable[[Workspace], list]] = {
    "assignee": workspace_agents,
    "category": workspace_categories,
    "team": workspace_teams,
}
