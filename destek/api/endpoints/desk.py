"""The desk's vocabulary: categories, tags, teams, agents (and their availability), canned
replies, and the token's own identity."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from destek.accounts.models import Membership
from destek.accounts.permissions import Capability, capabilities_of
from destek.api.core import ADMIN, idempotent, operation
from destek.api.problems import Problem
from destek.api.schemas import (
    AgentOut,
    AvailabilityIn,
    CannedReplyOut,
    CategoryIn,
    CategoryOut,
    MeOut,
    TagOut,
    TeamOut,
)
from destek.tickets.models import CannedReply, Category, Tag, Team

router = Router(tags=["desk"])
READ, WORK, MANAGE = Capability.READ_TICKETS, Capability.WORK_TICKETS, Capability.MANAGE_DESK


@operation(router, "GET", "/me", Capability.USE_WORKSPACE, response={200: MeOut})
def me(request: HttpRequest):
    """Who the token acts as, in which workspace, with which role and capabilities."""
    membership = request.membership
    return {
        "id": request.user.pk,
        "email": request.user.email,
        "name": request.user.name,
        "role": membership.role,
        "workspace": request.workspace.slug,
        "scopes": request.auth.scopes,
        "capabilities": sorted(capabilities_of(membership)),
    }


@operation(router, "GET", "/categories", READ, response={200: list[CategoryOut]})
def list_categories(request: HttpRequest):
    return Category.objects.filter(workspace=request.workspace)


def _category_for(request: HttpRequest, category_id: int) -> Category:
    return get_object_or_404(Category, workspace=request.workspace, pk=category_id)


def _save_category(category: Category, payload: CategoryIn) -> Category:
    for field, value in payload.model_dump().items():
        setattr(category, field, value.strip() if isinstance(value, str) else value)
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError as exc:
        raise Problem(409, "category-exists", "A category with this name exists.") from exc
    return category


@operation(router, "POST", "/categories", MANAGE, scope=ADMIN, response={201: CategoryOut})
@idempotent
def create_category(request: HttpRequest, payload: CategoryIn):
    categories = Category.objects.filter(workspace=request.workspace)
    highest = categories.aggregate(highest=Max("position"))["highest"]
    category = Category(workspace=request.workspace, position=0 if highest is None else highest + 1)
    return Status(201, CategoryOut.from_orm(_save_category(category, payload)))


@operation(
    router,
    "PUT",
    "/categories/{category_id}",
    MANAGE,
    scope=ADMIN,
    response={200: CategoryOut},
)
def update_category(request: HttpRequest, category_id: int, payload: CategoryIn):
    return _save_category(_category_for(request, category_id), payload)


@operation(router, "DELETE", "/categories/{category_id}", MANAGE, scope=ADMIN, response={204: None})
def delete_category(request: HttpRequest, category_id: int):
    """The category goes; its tickets stay, without a category."""
    _category_for(request, category_id).delete()
    return Status(204, None)


@operation(router, "GET", "/tags", READ, response={200: list[TagOut]})
def list_tags(request: HttpRequest):
    return Tag.objects.filter(workspace=request.workspace)


@operation(router, "GET", "/teams", READ, response={200: list[TeamOut]})
def list_teams(request: HttpRequest):
    return Team.objects.filter(workspace=request.workspace).prefetch_related("members")


@operation(router, "GET", "/teams/{team_id}", READ, response={200: TeamOut})
def get_team(request: HttpRequest, team_id: int):
    return get_object_or_404(
        Team.objects.prefetch_related("members"), workspace=request.workspace, pk=team_id
    )


def _agent_out(membership: Membership) -> dict:
    user = membership.user
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "role": membership.role,
        "is_available": membership.is_available,
    }


@operation(router, "GET", "/agents", READ, response={200: list[AgentOut]})
def list_agents(request: HttpRequest):
    """People tickets can be assigned to, and whether they take new tickets now."""
    members = (
        Membership.objects.for_workspace(request.workspace)
        .agents()
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    return [_agent_out(membership) for membership in members]


@operation(router, "PUT", "/agents/me/availability", WORK, response={200: AgentOut})
def set_my_availability(request: HttpRequest, payload: AvailabilityIn):
    """Mark yourself (un)available: automatic assignment skips unavailable agents."""
    membership = request.membership
    membership.is_available = payload.is_available
    membership.save(update_fields=["is_available"])
    return _agent_out(membership)


@operation(router, "GET", "/canned-replies", WORK, response={200: list[CannedReplyOut]})
def list_canned_replies(request: HttpRequest):
    return CannedReply.objects.filter(workspace=request.workspace)


@operation(router, "GET", "/canned-replies/{canned_id}", WORK, response={200: CannedReplyOut})
def get_canned_reply(request: HttpRequest, canned_id: int):
    return get_object_or_404(CannedReply, workspace=request.workspace, pk=canned_id)
