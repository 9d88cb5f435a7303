"""Forms of the SLA settings page: targets per priority, weekly hours, extra closed days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from destek.sla.models import ClosedDay, OpeningHours, SlaPolicy
from destek.tickets.models import Priority

WEEKDAYS = [
    (0, _("Pazartesi")),
    (1, _("Salı")),
    (2, _("Çarşamba")),
    (3, _("Perşembe")),
    (4, _("Cuma")),
    (5, _("Cumartesi")),
    (6, _("Pazar")),
]
MAX_MINUTES = 365 * 24 * 60  # a year: anything longer is a typo, not a promise


class PoliciesForm(forms.Form):
    """The four priorities' targets in one form: fields ``<priority>_first``,
    ``<priority>_resolution`` (blank: no resolution target) and ``<priority>_business``."""

    def __init__(self, *args: object, policies: Sequence[SlaPolicy] = (), **kwargs: object):
        initial = {}
        for policy in policies:
            initial[f"{policy.priority}_first"] = policy.first_response_minutes
            initial[f"{policy.priority}_resolution"] = policy.resolution_minutes
            initial[f"{policy.priority}_business"] = policy.business_hours
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for priority, label in Priority.choices:
            self.fields[f"{priority}_first"] = forms.IntegerField(
                label=_("%(priority)s ilk yanıt (dakika)") % {"priority": label},
                min_value=1,
                max_value=MAX_MINUTES,
            )
            self.fields[f"{priority}_resolution"] = forms.IntegerField(
                label=_("%(priority)s çözüm (dakika)") % {"priority": label},
                min_value=1,
                max_value=MAX_MINUTES,
                required=False,
            )
            self.fields[f"{priority}_business"] = forms.BooleanField(
                label=_("%(priority)s çalışma saatleri içinde") % {"priority": label},
                required=False,
            )

    def rows(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField, forms.BoundField]]:
        """(priority, label, first, resolution, business) for the table, one row a priority."""
        return [
            (p, label, self[f"{p}_first"], self[f"{p}_resolution"], self[f"{p}_business"])
            for p, label in Priority.choices
        ]

    def targets(self) -> dict[str, tuple[int, int | None, bool]]:
        data = self.cleaned_data
        return {
            p: (data[f"{p}_first"], data[f"{p}_resolution"], data[f"{p}_business"])
            for p in Priority.values
        }


class HoursForm(forms.Form):
    """Weekly hours (``open_<day>``, ``opens_<day>``, ``closes_<day>``, Monday = 0) and the
    public-holiday switch."""

    public_holidays = forms.BooleanField(
        label=_("Türkiye resmî tatillerinde kapalı"),
        required=False,
        help_text=_("Ramazan ve Kurban Bayramı dahil; arife günleri ve 28 Ekim 13:00'te kapanır."),
    )

    def __init__(
        self,
        *args: object,
        hours: Sequence[OpeningHours] = (),
        public_holidays: bool = True,
        **kwargs: object,
    ) -> None:
        initial: dict[str, object] = {"public_holidays": public_holidays}
        for row in hours:
            initial.update(
                {
                    f"open_{row.weekday}": True,
                    f"opens_{row.weekday}": row.opens,
                    f"closes_{row.weekday}": row.closes,
                }
            )
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        time_input = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
        for day, name in WEEKDAYS:
            self.fields[f"open_{day}"] = forms.BooleanField(label=name, required=False)
            self.fields[f"opens_{day}"] = forms.TimeField(
                label=_("%(day)s açılış") % {"day": name}, required=False, widget=time_input
            )
            self.fields[f"closes_{day}"] = forms.TimeField(
                label=_("%(day)s kapanış") % {"day": name}, required=False, widget=time_input
            )

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (name, self[f"open_{day}"], self[f"opens_{day}"], self[f"closes_{day}"])
            for day, name in WEEKDAYS
        ]

    def clean(self) -> dict[str, object]:
        data = super().clean()
        open_days = 0
        for day, name in WEEKDAYS:
            if not data.get(f"open_{day}"):
                continue
            open_days += 1
            opens, closes = data.get(f"opens_{day}"), data.get(f"closes_{day}")
            if opens is None or closes is None:
                message = _("%(day)s için açılış ve kapanış saati girin.")
                self.add_error(f"opens_{day}", message % {"day": name})
            elif opens >= closes:
                message = _("%(day)s: kapanış açılıştan sonra olmalı.")
                self.add_error(f"closes_{day}", message % {"day": name})
        if not open_days:
            raise forms.ValidationError(_("En az bir gün açık olmalı."))
        return data

    def hours(self) -> dict[int, tuple[time, time]]:
        data = self.cleaned_data
        return {
            day: (data[f"opens_{day}"], data[f"closes_{day}"])
            for day, _name in WEEKDAYS
            if data.get(f"open_{day}")
        }


class ClosedDayForm(forms.ModelForm):
    class Meta:
        model = ClosedDay
        fields = ["date", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
