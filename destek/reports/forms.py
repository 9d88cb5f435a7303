"""The period picker and filters shared by the dashboard and every report page (GET only)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace
from destek.mail.models import Mailbox
from destek.reports.metrics import Filters
from destek.reports.period import DEFAULT, PRESETS, Period, period_for
from destek.tickets.access import workspace_agents, workspace_categories, workspace_teams
from destek.tickets.models import Priority


def _choices(pairs: list[tuple[object, str]]) -> list[tuple[str, str]]:
    return [("", _("Tümü"))] + [(str(value), label) for value, label in pairs]


class ReportForm(forms.Form):
    period = forms.ChoiceField(label=_("Dönem"), choices=PRESETS.items(), required=False)
    first = forms.DateField(
        label=_("Başlangıç"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    last = forms.DateField(
        label=_("Bitiş"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    agent = forms.TypedChoiceField(
        label=_("Temsilci"), coerce=int, required=False, empty_value=None
    )
    team = forms.TypedChoiceField(label=_("Ekip"), coerce=int, required=False, empty_value=None)
    category = forms.TypedChoiceField(
        label=_("Kategori"), coerce=int, required=False, empty_value=None
    )
    priority = forms.ChoiceField(
        label=_("Öncelik"), choices=_choices(list(Priority.choices)), required=False
    )
    mailbox = forms.TypedChoiceField(
        label=_("E-posta kutusu"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, data: object, *, workspace: Workspace, all_agents: bool) -> None:
        super().__init__(data)
        self.workspace = workspace
        if all_agents:
            people = [(u.pk, u.display_name) for u in workspace_agents(workspace)]
            self.fields["agent"].choices = _choices(people)
        else:
            del self.fields["agent"]  # an agent sees only their own numbers
        self.fields["team"].choices = _choices([(t.pk, t.name) for t in workspace_teams(workspace)])
        self.fields["category"].choices = _choices(
            [(c.pk, c.name) for c in workspace_categories(workspace)]
        )
        boxes = Mailbox.objects.filter(workspace=workspace).values_list("pk", "address")
        self.fields["mailbox"].choices = _choices(list(boxes))

    def chosen_period(self, today: date) -> Period:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return period_for(
            data.get("period") or DEFAULT,
            today,
            ZoneInfo(self.workspace.time_zone),
            data.get("first"),
            data.get("last"),
        )

    def chosen_filters(self, own_user: int | None) -> Filters:
        """The chosen filters; ``own_user`` pins the agent (people who see only their own)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return Filters(
            agent=own_user or data.get("agent"),
            team=data.get("team"),
            category=data.get("category"),
            priority=data.get("priority") or None,
            mailbox=data.get("mailbox"),
        )
