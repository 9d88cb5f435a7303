"""A workspace's SLA promise: targets per priority and the calendar business time runs on."""

from __future__ import annotations

from datetime import time, timedelta

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace
from destek.sla.compute import Targets
from destek.tickets.models import Priority


class BusinessCalendar(models.Model):
    """One per workspace; the time zone is the workspace's own."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="business_calendar"
    )
    public_holidays = models.BooleanField(
        _("Türkiye resmî tatilleri"),
        default=True,
        help_text=_(
            "Ramazan ve Kurban Bayramı dahil resmî tatillerde kapalı; arife günleri 13:00'e kadar."
        ),
    )

    class Meta:
        verbose_name = _("çalışma takvimi")
        verbose_name_plural = _("çalışma takvimleri")

    def __str__(self) -> str:
        return str(self.workspace)


class OpeningHours(models.Model):
    """The working hours of one weekday; a weekday without a row is closed."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("gün"))  # Monday = 0, as datetime.weekday()
    opens = models.TimeField(_("açılış"))
    closes = models.TimeField(_("kapanış"))

    class Meta:
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "weekday"], name="opening_hours_weekday"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="opening_hours_weekday_range"),
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="opening_hours_order"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens}–{self.closes}"


class ClosedDay(models.Model):
    """A day the business is closed beyond the public holidays (a company holiday, inventory)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("tarih"))
    name = models.CharField(_("açıklama"), max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("kapalı gün")
        verbose_name_plural = _("kapalı günler")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "date"], name="closed_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}".strip()


class SlaPolicy(models.Model):
    """The targets of one priority in one workspace, in minutes of business or clock time."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    priority = models.CharField(_("öncelik"), max_length=2, choices=Priority.choices)
    first_response_minutes = models.PositiveIntegerField(_("ilk yanıt hedefi (dakika)"))
    resolution_minutes = models.PositiveIntegerField(
        _("çözüm hedefi (dakika)"), null=True, blank=True
    )
    business_hours = models.BooleanField(_("çalışma saatleri içinde"), default=True)

    class Meta:
        ordering = ["priority"]
        verbose_name = _("SLA politikası")
        verbose_name_plural = _("SLA politikaları")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "priority"], name="sla_policy_priority"),
            models.CheckConstraint(
                condition=Q(first_response_minutes__gt=0), name="sla_policy_first_response"
            ),
            models.CheckConstraint(
                condition=Q(resolution_minutes__isnull=True) | Q(resolution_minutes__gt=0),
                name="sla_policy_resolution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workspace} {self.priority}"

    def targets(self) -> Targets:
        resolution = self.resolution_minutes
        return Targets(
            first_response=timedelta(minutes=self.first_response_minutes),
            resolution=timedelta(minutes=resolution) if resolution else None,
        )


# DESIGN §6 defaults: (first response, resolution or None, in business hours). One business day
# is nine business hours on the default 09:00–18:00 calendar.
BUSINESS_DAY = 9 * 60
DEFAULT_POLICIES: dict[str, tuple[int, int | None, bool]] = {
    Priority.P0: (60, 8 * 60, False),
    Priority.P1: (4 * 60, BUSINESS_DAY, True),
    Priority.P2: (BUSINESS_DAY, 3 * BUSINESS_DAY, True),
    Priority.P3: (2 * BUSINESS_DAY, None, True),
}
DEFAULT_HOURS: dict[int, tuple[time, time]] = {day: (time(9), time(18)) for day in range(5)}
