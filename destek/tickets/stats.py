"""Dashboard numbers (DESIGN §3, §8 "backlog" and "today"): counts only, never contents.

"Today" is the calendar day in the workspace's time zone, not the server's: a ticket resolved at
01:30 in Istanbul belongs to that Istanbul day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone

from destek.accounts.models import User, Workspace
from destek.tickets.models import EventKind, Ticket, TicketEvent
from destek.tickets.status import ACTIVE, DONE


@dataclass(frozen=True)
class DeskNumbers:
    open: int
    new_today: int
    resolved_today: int
    unassigned: int


@dataclass(frozen=True)
class AgentNumbers:
    assigned_open: int
    resolved_today: int


def start_of_day(workspace: Workspace, now: datetime | None = None) -> datetime:
    zone = ZoneInfo(workspace.time_zone)
    local = (now or timezone.now()).astimezone(zone)
    return datetime.combine(local.date(), time.min, tzinfo=zone)


def desk_numbers(workspace: Workspace, now: datetime | None = None) -> DeskNumbers:
    """The whole workspace's backlog and today's flow, in one count query."""
    today = start_of_day(workspace, now)
    counts = Ticket.objects.for_workspace(workspace).aggregate(
        open=Count("pk", filter=Q(status__in=ACTIVE)),
        new_today=Count("pk", filter=Q(created_at__gte=today)),
        # Closing without resolving first also stamps resolved_at, so this is "resolved or
        # closed today" as in DESIGN §8.
        resolved_today=Count("pk", filter=Q(status__in=DONE, resolved_at__gte=today)),
        unassigned=Count("pk", filter=Q(status__in=ACTIVE, assignee__isnull=True)),
    )
    return DeskNumbers(**counts)


def agent_numbers(workspace: Workspace, user: User, now: datetime | None = None) -> AgentNumbers:
    """One person's own numbers: what is on their plate and what they finished today."""
    today = start_of_day(workspace, now)
    assigned_open = Ticket.objects.for_workspace(workspace).active().assigned_to(user).count()
    # Tickets carry no "resolved by"; the status events do. A ticket resolved and then closed
    # by the same person today counts once.
    resolved_today = (
        TicketEvent.objects.filter(
            workspace=workspace,
            kind=EventKind.STATUS,
            new_value__in=DONE,
            actor=user,
            created_at__gte=today,
        )
        .values("ticket")
        .distinct()
        .count()
    )
    return AgentNumbers(assigned_open=assigned_open, resolved_today=resolved_today)
