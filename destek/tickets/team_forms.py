"""Forms for teams (admins), an agent's capacity, and a ticket's team (DESIGN §6)."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Membership, Workspace
from destek.tickets.models import Team


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.display_name} ({obj.get_role_display()})"


def team_member_choices(workspace: Workspace):
    """Who can be in a team: the workspace's active admins and agents (the owner works no
    tickets)."""
    return (
        Membership.objects.for_workspace(workspace)
        .agents()
        .select_related("user")
        .order_by("user__name", "user__email")
    )


class TeamSettingsForm(forms.ModelForm):
    members = MemberChoiceField(
        label=_("Üyeler"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Team
        fields = ["name", "assignment_mode", "members"]
        labels = {"name": _("Ad"), "assignment_mode": _("Otomatik atama")}
        help_texts = {
            "assignment_mode": _(
                "Yeni talepler yalnızca müsait olan ve açık talep sınırına ulaşmamış üyelere "
                "atanır."
            ),
        }

    def __init__(self, *args: object, workspace: Workspace, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.fields["members"].queryset = team_member_choices(workspace)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = Team.objects.filter(workspace=self.workspace, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Bu adla bir ekip zaten var."))
        return name


class CapacityForm(forms.ModelForm):
    """An admin sets an agent's open-ticket cap and availability."""

    class Meta:
        model = Membership
        fields = ["is_available", "max_open_tickets"]
        labels = {"is_available": _("Müsait"), "max_open_tickets": _("En fazla açık talep")}
        help_texts = {"max_open_tickets": _("Boş bırakılırsa sınır yok.")}
        widgets = {"max_open_tickets": forms.NumberInput(attrs={"min": 1, "size": 4})}

    def clean_max_open_tickets(self) -> int | None:
        value = self.cleaned_data["max_open_tickets"]
        if value == 0:
            raise forms.ValidationError(_("Sınır en az 1 olmalı; sınırsız için boş bırakın."))
        return value


class TicketTeamForm(forms.Form):
    team = forms.TypedChoiceField(label=_("Ekip"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: object, teams: Sequence[Team], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {team.pk: team for team in teams}
        self.fields["team"].choices = [("", _("— Ekip yok —"))] + [
            (team.pk, team.name) for team in teams
        ]

    def chosen(self) -> Team | None:
        return self.teams.get(self.cleaned_data["team"])
