"""How a ticket stands against its SLA, for the ticket page and the queue rows.

Time left is counted the way the policy counts: in business hours for a business-hours policy,
so "1 sa" on Friday at 17:00 means one working hour, due Monday 09:00 after a weekend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from destek.sla.clock import Clock
from destek.sla.compute import DONE
from destek.sla.services import SlaSetup
from destek.tickets.models import Ticket

# States of one clock; the template turns each into a CSS class "sla-<state>".
OK, NEAR, BREACHED, PAUSED = "ok", "near", "breached", "paused"
MET, MISSED, NONE = "met", "missed", "none"


def current_time() -> datetime:
    """Now; its own function so view tests can pin the page's clock."""
    return timezone.now()


@dataclass(frozen=True)
class ClockView:
    clock: str  # "first_response" or "resolution"
    state: str
    due_at: datetime | None = None
    left: timedelta | None = None  # negative when overdue, in the policy's time
    done_at: datetime | None = None  # when the clock was met (first reply, resolution)
    business_hours: bool = False

    @property
    def label(self) -> str:
        return _("İlk yanıt") if self.clock == "first_response" else _("Çözüm")

    @property
    def running(self) -> bool:
        return self.state in {OK, NEAR, BREACHED}

    def duration_text(self) -> str:
        """How long is left, or how late the clock is: "2 sa 15 dk"."""
        if self.left is None:
            return ""
        return format_duration(abs(self.left), days=not self.business_hours)

    def left_text(self) -> str:
        """The compact form for queue rows: late with a minus sign, "−15 dk"."""
        text = self.duration_text()
        return f"−{text}" if self.left is not None and self.left < timedelta(0) else text


def format_duration(amount: timedelta, *, days: bool = True) -> str:
    """Compact and whole minutes: "<1 dk", "45 dk", "2 sa 15 dk", "1 g 3 sa" (days only for
    clock time: a business day is not 24 hours)."""
    minutes = int(amount.total_seconds() // 60)
    if minutes < 1:
        return _("<1 dk")
    hours, minutes = divmod(minutes, 60)
    if days and hours >= 24:
        return _("%(days)d g %(hours)d sa") % {"days": hours // 24, "hours": hours % 24}
    if not hours:
        return _("%(minutes)d dk") % {"minutes": minutes}
    if not minutes:
        return _("%(hours)d sa") % {"hours": hours}
    return _("%(hours)d sa %(minutes)d dk") % {"hours": hours, "minutes": minutes}


def _running(ticket: Ticket, clock: str, measure: Clock, now: datetime) -> ClockView:
    due: datetime | None = getattr(ticket, f"{clock}_due_at")
    near: datetime | None = getattr(ticket, f"{clock}_near_at")
    business = measure.business_hours
    if due is None:
        return ClockView(clock, PAUSED if ticket.sla_paused_at else NONE, business_hours=business)
    if now >= due:
        state, left = BREACHED, -measure.between(due, now)
    else:
        state, left = (NEAR if near is not None and now >= near else OK), measure.between(now, due)
    return ClockView(clock, state, due, left, business_hours=business)


def _ended(clock: str, due: datetime | None, done_at: datetime, business: bool) -> ClockView:
    state = MET if due is None or done_at <= due else MISSED
    return ClockView(clock, state, due, done_at=done_at, business_hours=business)


def clock_views(ticket: Ticket, setup: SlaSetup, now: datetime) -> list[ClockView]:
    """Both clocks of the ticket; empty when its priority has no policy."""
    policy = setup.policy(ticket.priority)
    if policy is None:
        return []
    measure = setup.clock(policy)
    business = measure.business_hours
    done = ticket.status in DONE
    if ticket.first_response_at is not None:
        first = _ended(
            "first_response", ticket.first_response_due_at, ticket.first_response_at, business
        )
    elif done:
        first = ClockView("first_response", NONE, business_hours=business)
    else:
        first = _running(ticket, "first_response", measure, now)
    if policy.resolution_minutes is None:
        resolution = ClockView("resolution", NONE, business_hours=business)
    elif done and ticket.resolved_at is not None:
        resolution = _ended("resolution", ticket.resolution_due_at, ticket.resolved_at, business)
    else:
        resolution = _running(ticket, "resolution", measure, now)
    return [first, resolution]


def next_view(ticket: Ticket, setup: SlaSetup, now: datetime) -> ClockView | None:
    """The clock that matters next for a queue row: the first running or paused one."""
    for view in clock_views(ticket, setup, now):
        if view.running or view.state == PAUSED:
            return view
    return None
