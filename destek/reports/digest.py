"""The weekly summary e-mail to the owner and the admins (numbers only, DESIGN §3 and §8).

Sent on Monday morning for the seven days before, against the seven days before those. Each
person can turn it off for a workspace (``DigestOptOut``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from destek.accounts.models import Membership, Role, User, Workspace
from destek.lib.system_mail import KIND_HEADER, WORKSPACE_HEADER
from destek.reports import metrics
from destek.reports.models import DigestOptOut
from destek.reports.period import Period
from destek.reports.tables import change, duration, show

KIND = "weekly-summary"
RECIPIENT_ROLES = (Role.OWNER, Role.ADMIN)


def wants_digest(workspace: Workspace, user: User) -> bool:
    return not DigestOptOut.objects.filter(workspace=workspace, user=user).exists()


def set_wanted(workspace: Workspace, user: User, wanted: bool) -> None:
    if wanted:
        DigestOptOut.objects.filter(workspace=workspace, user=user).delete()
    else:
        DigestOptOut.objects.get_or_create(workspace=workspace, user=user)


def last_week(workspace: Workspace, now: datetime) -> Period:
    """The seven whole days before today (Monday to Sunday when sent on a Monday)."""
    zone = ZoneInfo(workspace.time_zone)
    today = now.astimezone(zone).date()
    return Period(today - timedelta(days=7), today - timedelta(days=1), zone)


def recipients(workspace: Workspace) -> list[User]:
    opted_out = DigestOptOut.objects.filter(workspace=workspace).values("user_id")
    return [
        m.user
        for m in Membership.objects.filter(
            workspace=workspace, is_active=True, role__in=RECIPIENT_ROLES, user__is_active=True
        )
        .exclude(user_id__in=opted_out)
        .select_related("user")
        .order_by("user__email")
    ]


def _line(label: str, now: str, before: str, delta: float | None = None) -> str:
    trend = "" if delta is None else f" ({show(delta, 'change')})"
    return f"- {label}: {now}{trend} · " + _("önceki hafta") + f": {before}"


def summary_text(workspace: Workspace, now: datetime) -> str:
    """The body: every line a number; no subject, customer or message."""
    week = last_week(workspace, now)
    before = week.previous()
    volume, volume_before = metrics.volume(workspace, week), metrics.volume(workspace, before)
    first, first_before = (
        metrics.first_response(workspace, week),
        metrics.first_response(workspace, before),
    )
    res, res_before = metrics.resolution(workspace, week), metrics.resolution(workspace, before)
    sla, sla_before = (
        metrics.sla_compliance(workspace, week, now),
        metrics.sla_compliance(workspace, before, now),
    )
    reopen = metrics.reopen_rate(workspace, week)
    happy = metrics.satisfaction(workspace, week)
    backlog = metrics.backlog(workspace)
    pct = lambda rate: show(rate.percent, "percent")  # noqa: E731
    lines = [
        _("%(workspace)s · %(first)s – %(last)s haftalık özeti")
        % {
            "workspace": workspace.name,
            "first": week.first.strftime("%d.%m.%Y"),
            "last": week.last.strftime("%d.%m.%Y"),
        },
        "",
        _line(_("Gelen talepler"), str(volume), str(volume_before), change(volume, volume_before)),
        _line(_("Çözülen talepler"), str(res.count), str(res_before.count)),
        _line(
            _("İlk yanıt ortancası (iş saatleri)"),
            duration(first.business_median),
            duration(first_before.business_median),
        ),
        _line(
            _("Çözüm ortancası (iş saatleri)"),
            duration(res.business_median),
            duration(res_before.business_median),
        ),
        _line(_("İlk yanıt SLA uyumu"), pct(sla.first_response), pct(sla_before.first_response)),
        _line(_("Çözüm SLA uyumu"), pct(sla.resolution), pct(sla_before.resolution)),
        "- " + _("Yeniden açılma oranı") + f": {pct(reopen)}",
        "- "
        + _("Müşteri memnuniyeti (4–5 puan): %(share)s, %(count)d değerlendirme")
        % {"share": pct(happy.satisfied), "count": happy.ratings},
        "- "
        + _("Şu an açık: %(open)d, atanmamış: %(unassigned)d")
        % {"open": backlog.open, "unassigned": backlog.unassigned},
        "",
        _("Ayrıntılar: %(link)s")
        % {"link": settings.BASE_URL + reverse("dashboard", args=[workspace.slug])},
        _("Bu e-postayı almak istemiyorsanız panodan kapatabilirsiniz."),
    ]
    return "\n".join(lines) + "\n"


def summary_mail(workspace: Workspace, user: User, now: datetime) -> EmailMessage:
    with translation.override(user.language or workspace.language):
        subject = _("%(workspace)s: haftalık destek özeti") % {"workspace": workspace.name}
        body = summary_text(workspace, now)
    return EmailMessage(
        subject,
        body,
        to=[user.email],
        headers={WORKSPACE_HEADER: workspace.slug, KIND_HEADER: KIND},
    )


def send_weekly(now: datetime) -> int:
    """One summary per owner and admin of every workspace who has not turned it off."""
    sent = 0
    for workspace in Workspace.objects.order_by("pk"):
        for user in recipients(workspace):
            summary_mail(workspace, user, now).send()
            sent += 1
    return sent
