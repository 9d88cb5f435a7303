"""Teams (admins: list, add, edit, delete, members' capacity), a ticket's team, and each agent's
own "Müsait" switch (DESIGN §6)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts.models import Membership
from destek.accounts.permissions import Capability, workspace_view
from destek.tickets import actions
from destek.tickets.access import get_ticket_for, workspace_teams
from destek.tickets.models import Team, Ticket
from destek.tickets.status import ACTIVE
from destek.tickets.team_forms import CapacityForm, TeamSettingsForm, TicketTeamForm
from destek.tickets.views.changes import _apply


def _teams(request: HttpRequest) -> QuerySet[Team]:
    return Team.objects.filter(workspace=request.workspace)


@workspace_view(Capability.MANAGE_DESK)
def team_list(request: HttpRequest) -> HttpResponse:
    form = TeamSettingsForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        team = form.save(commit=False)
        team.workspace = request.workspace
        team.save()
        form.save_m2m()
        messages.success(request, _("Ekip eklendi: %(name)s") % {"name": team.name})
        return redirect("team_list", request.workspace.slug)
    teams = _teams(request).annotate(
        member_count=Count("members", distinct=True),
        open_count=Count("tickets", filter=Q(tickets__status__in=ACTIVE), distinct=True),
    )
    status = 400 if form.is_bound else 200
    context = {"teams": teams, "form": form}
    return render(request, "tickets/teams/team_list.html", context, status=status)


@workspace_view(Capability.MANAGE_DESK)
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(_teams(request), pk=team_id)
    form = TeamSettingsForm(request.POST or None, instance=team, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Ekip kaydedildi."))
        return redirect("team_edit", request.workspace.slug, team.pk)
    members = team.members.agents().select_related("user").order_by("user__name", "user__email")
    open_counts = _open_counts(request, [member.user_id for member in members])
    rows = [
        (
            member,
            open_counts.get(member.user_id, 0),
            CapacityForm(instance=member, prefix="m", auto_id=f"m{member.pk}_%s"),
        )
        for member in members
    ]
    status = 400 if form.is_bound else 200
    context = {"team": team, "form": form, "rows": rows}
    return render(request, "tickets/teams/team_edit.html", context, status=status)


def _open_counts(request: HttpRequest, user_ids: list[int]) -> dict[int, int]:
    return dict(
        Ticket.objects.for_workspace(request.workspace)
        .active()
        .filter(assignee_id__in=user_ids)
        .order_by()
        .values_list("assignee_id")
        .annotate(count=Count("pk"))
    )


@workspace_view(Capability.MANAGE_DESK)
def team_delete(request: HttpRequest, team_id: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes (its tickets and categories keep no team)."""
    team = get_object_or_404(_teams(request), pk=team_id)
    if request.method == "POST":
        name = team.name
        team.delete()
        messages.success(request, _("Ekip silindi: %(name)s") % {"name": name})
        return redirect("team_list", request.workspace.slug)
    context = {"team": team, "ticket_count": team.tickets.active().count()}
    return render(request, "tickets/teams/team_delete.html", context)


@workspace_view(Capability.MANAGE_DESK)
@require_POST
def member_capacity(request: HttpRequest, team_id: int, membership_id: int) -> HttpResponse:
    team = get_object_or_404(_teams(request), pk=team_id)
    member = get_object_or_404(team.members.agents(), pk=membership_id)
    form = CapacityForm(request.POST, instance=member, prefix="m")
    if form.is_valid():
        form.save()
        messages.success(
            request, _("%(name)s için ayarlar kaydedildi.") % {"name": member.user.display_name}
        )
    else:
        messages.error(request, next(iter(form.errors.values()))[0])
    return redirect("team_edit", request.workspace.slug, team.pk)


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def ticket_team(request: HttpRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request, number)
    form = TicketTeamForm(request.POST, teams=workspace_teams(request.workspace))
    return _apply(
        request,
        ticket,
        form,
        lambda: actions.set_team(ticket=ticket, actor=request.user, team=form.chosen()),
        _("Ekip güncellendi."),
    )


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def availability(request: HttpRequest) -> HttpResponse:
    """The agent's own "Müsait" switch: only available agents get automatic assignments."""
    membership: Membership = request.membership
    membership.is_available = request.POST.get("available") == "1"
    membership.save(update_fields=["is_available"])
    if membership.is_available:
        messages.success(request, _("Müsaitsiniz: otomatik atamalar size de gelir."))
    else:
        messages.success(request, _("Müsait değilsiniz: size otomatik atama yapılmaz."))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("workspace_home", request.workspace.slug)
