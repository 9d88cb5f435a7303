"""Raising SLA near-breach (80 %) and breach alerts, once each, and telling the people who can act.

The periodic task calls :func:`raise_alerts` every minute. Each alert is claimed with a
conditional UPDATE (the flag must still be empty), so two workers never raise the same one; the
timeline event is written in the same transaction and the mail leaves after it commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from destek.accounts.models import Membership, User
from destek.lib.system_mail import KIND_HEADER, WORKSPACE_HEADER
from destek.notifications.services import notify as in_app
from destek.sla.signals import sla_alert_raised
from destek.tickets.models import EventKind, Priority, Ticket, TicketEvent
from destek.tickets.status import ACTIVE

logger = logging.getLogger(__name__)

WARNING, BREACH = EventKind.SLA_WARNING, EventKind.SLA_BREACH
# A breach found this long after its due time (the worker was down, history was imported) is
# still recorded on the ticket, but nobody is mailed about a day-old deadline.
MAIL_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Alert:
    ticket_id: int
    clock: str  # "first_response" or "resolution"
    kind: str  # WARNING or BREACH
    due_at: datetime


def _live(now: datetime) -> Q:
    # A read-only workspace (trial over, not activated) accepts no changes, not even ours.
    return Q(workspace__activated_at__isnull=False) | Q(workspace__trial_ends_at__gt=now)


def _clock_alerts(clock: str, now: datetime, running: Q) -> list[Alert]:
    due, near = f"{clock}_due_at", f"{clock}_near_at"
    warned, breached = f"sla_{clock}_warned_at", f"sla_{clock}_breached_at"
    rows = (
        Ticket.objects.filter(
            _live(now), running, status__in_literal=ACTIVE, **{f"{near}__lte": now}
        )
        .filter(
            Q(**{f"{due}__lte": now, f"{breached}__isnull": True})
            | Q(**{f"{warned}__isnull": True, "sla_paused_at__isnull": True})
        )
        .order_by(due, "pk")
        .values_list("pk", due, breached)
    )
    return [
        Alert(pk, clock, BREACH if due_value <= now and breached_at is None else WARNING, due_value)
        for pk, due_value, breached_at in rows
        if due_value is not None
    ]


def due_alerts(now: datetime) -> list[Alert]:
    """Every warning and breach that has come due and was not raised yet, soonest first."""
    return _clock_alerts("first_response", now, Q(first_response_at__isnull=True)) + _clock_alerts(
        "resolution", now, Q()
    )


def _claim(alert: Alert, now: datetime) -> bool:
    """Set the alert's flag if nobody did; a breach also settles its (now pointless) warning."""
    prefix = f"sla_{alert.clock}_"
    flag = prefix + ("breached_at" if alert.kind == BREACH else "warned_at")
    claimed = Ticket.objects.filter(pk=alert.ticket_id, **{f"{flag}__isnull": True}).update(
        **{flag: now}
    )
    if claimed and alert.kind == BREACH:
        Ticket.objects.filter(pk=alert.ticket_id, **{f"{prefix}warned_at__isnull": True}).update(
            **{f"{prefix}warned_at": now}
        )
    return bool(claimed)


def raise_alert(alert: Alert, now: datetime) -> bool:
    """Record one alert on the ticket's timeline and notify; False when already raised."""
    with transaction.atomic():
        if not _claim(alert, now):
            return False
        ticket = Ticket.objects.select_related("workspace", "assignee").get(pk=alert.ticket_id)
        TicketEvent.objects.create(
            workspace_id=ticket.workspace_id,
            ticket=ticket,
            kind=alert.kind,
            old_value=alert.due_at.isoformat(),
            new_value=alert.clock,
            created_at=now,
        )
        if now - alert.due_at <= MAIL_WINDOW:
            transaction.on_commit(lambda: notify(ticket, alert))
        transaction.on_commit(
            lambda: sla_alert_raised.send(
                sender=Ticket, ticket=ticket, clock=alert.clock, kind=alert.kind
            ),
            robust=True,
        )
    return True


def raise_alerts(now: datetime | None = None) -> int:
    """Raise every alert that is due; returns how many were raised."""
    now = now or timezone.now()
    raised = 0
    for alert in due_alerts(now):
        try:
            raised += raise_alert(alert, now)
        except Exception:
            # One broken ticket must not hold back every other ticket's alert.
            logger.exception("SLA alert failed for ticket %s", alert.ticket_id)
    if raised:
        logger.info("raised %d SLA alerts", raised)
    return raised


def recipients(ticket: Ticket) -> list[User]:
    """The assignee; when nobody holds the ticket, the members of its team; without a team (or
    a team without members who work tickets), every agent of the workspace."""
    agents = Membership.objects.for_workspace(ticket.workspace).agents().select_related("user")
    if ticket.assignee_id is not None:
        agents = agents.filter(user_id=ticket.assignee_id)
    elif ticket.team_id is not None:
        in_team = agents.filter(teams=ticket.team_id)
        if in_team.exists():
            agents = in_team
    return [membership.user for membership in agents.order_by("user__email")]


def _texts(ticket: Ticket, alert: Alert) -> tuple[str, str]:
    code = ticket.code
    zone = ZoneInfo(ticket.workspace.time_zone)
    due = formats.date_format(alert.due_at.astimezone(zone), "j F Y H:i")
    subjects = {
        ("first_response", WARNING): _("[%(code)s] SLA uyarısı: ilk yanıt süresinin %%80'i doldu"),
        ("first_response", BREACH): _("[%(code)s] SLA ihlali: ilk yanıt süresi aşıldı"),
        ("resolution", WARNING): _("[%(code)s] SLA uyarısı: çözüm süresinin %%80'i doldu"),
        ("resolution", BREACH): _("[%(code)s] SLA ihlali: çözüm süresi aşıldı"),
    }
    subject = subjects[(alert.clock, alert.kind)] % {"code": code}
    url = settings.BASE_URL + reverse("ticket_detail", args=[ticket.workspace.slug, ticket.number])
    lines = [
        _("Talep: %(code)s") % {"code": code},
        _("Öncelik: %(priority)s") % {"priority": Priority(ticket.priority).label},
        _("Son süre: %(due)s (%(zone)s)") % {"due": due, "zone": ticket.workspace.time_zone},
        "",
        url,
    ]
    return subject, "\n".join(lines) + "\n"


def notify(ticket: Ticket, alert: Alert) -> int:
    """One in-app notification and one mail per recipient in their language; the mail names the
    tracking code, never the customer or the subject (mail leaves the help desk's privacy
    boundary)."""
    sent = 0
    people = recipients(ticket)
    in_app(
        recipients=people,
        ticket=ticket,
        kind=f"sla_{alert.clock}_{alert.kind.removeprefix('sla_')}",
    )
    for user in people:
        with translation.override(user.language or ticket.workspace.language):
            subject, body = _texts(ticket, alert)
        EmailMessage(
            subject,
            body,
            to=[user.email],
            headers={
                WORKSPACE_HEADER: ticket.workspace.slug,
                KIND_HEADER: "sla",
                "Auto-Submitted": "auto-generated",
            },
        ).send()
        sent += 1
    return sent
