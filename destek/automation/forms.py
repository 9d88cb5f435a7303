"""The rule builder: name, trigger, match and active as a form; the condition and action rows
come as parallel lists (``condition_kind``/``condition_value``, ``action_kind``/``action_value``)
and are checked by the schema."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from destek.accounts.models import Workspace
from destek.automation import schema
from destek.automation.models import Rule

PARTS = {"condition": schema.CONDITIONS, "action": schema.ACTIONS}


@dataclass(frozen=True)
class Row:
    """One builder row: its kind select and a value field fitting the kind."""

    part: str
    kind: str
    value: str
    kinds: list[tuple[str, str]]
    value_type: str
    options: list[tuple[str, str]] | None

    @property
    def multiline(self) -> bool:
        return self.value_type == schema.ValueType.TEXT

    @property
    def placeholder(self) -> str:
        return str(PLACEHOLDERS.get(self.value_type, ""))


PLACEHOLDERS = {
    schema.ValueType.WORDS: gettext_lazy("ödeme alamıyorum, kart çekilmiyor"),
    schema.ValueType.ADDRESS: gettext_lazy("ornek.com.tr ya da ad@ornek.com.tr"),
    schema.ValueType.TAGS: gettext_lazy("acil, odeme"),
}


def make_row(workspace: Workspace, part: str, kind: str = "", value: str = "") -> Row:
    kinds = PARTS[part]
    found = kinds.get(kind)
    value_type = found.value_type if found else ""
    return Row(
        part=part,
        kind=kind,
        value=value,
        kinds=[(key, str(k.label)) for key, k in kinds.items()],
        value_type=value_type,
        options=schema.options(workspace, value_type) if found else None,
    )


def stored_rows(workspace: Workspace, part: str, items: list[dict]) -> list[Row]:
    return [
        make_row(workspace, part, item["kind"], schema.raw_value(item["value"])) for item in items
    ]


def posted_rows(workspace: Workspace, part: str, data: QueryDict) -> list[Row]:
    kinds, values = data.getlist(f"{part}_kind"), data.getlist(f"{part}_value")
    values += [""] * (len(kinds) - len(values))
    return [make_row(workspace, part, k, v) for k, v in zip(kinds, values, strict=False)]


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["name", "trigger", "match", "is_active"]
        labels = {"name": gettext_lazy("Kuralın adı")}
        help_texts = {
            "name": gettext_lazy("Talebin geçmişinde “Kural: …” olarak görünür."),
            "is_active": gettext_lazy("Kapalı bir kural hiçbir talebe uygulanmaz."),
        }

    def __init__(self, *args: object, workspace: Workspace, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        data = self.data if self.is_bound else None
        if data is not None:
            self.condition_rows = posted_rows(workspace, "condition", data)
            self.action_rows = posted_rows(workspace, "action", data)
        else:
            self.condition_rows = stored_rows(workspace, "condition", self.instance.conditions)
            self.action_rows = stored_rows(workspace, "action", self.instance.actions)
            if not self.action_rows:
                self.action_rows = [make_row(workspace, "action")]
        self.condition_errors: list[str] = []
        self.action_errors: list[str] = []

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        same = Rule.objects.filter(workspace=self.workspace, name=name).exclude(pk=self.instance.pk)
        if same.exists():
            raise ValidationError(_("Bu adda bir kural zaten var."))
        return name

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        conditions = [(row.kind, row.value) for row in self.condition_rows]
        actions = [(row.kind, row.value) for row in self.action_rows]
        try:
            self.instance.conditions = schema.clean_conditions(self.workspace, conditions)
        except ValidationError as exc:
            self.condition_errors = exc.messages
        try:
            self.instance.actions = schema.clean_actions(self.workspace, actions)
        except ValidationError as exc:
            self.action_errors = exc.messages
        if self.condition_errors or self.action_errors:
            raise ValidationError(_("Kural kaydedilmedi: aşağıdaki satırları düzeltin."))
        return cleaned
