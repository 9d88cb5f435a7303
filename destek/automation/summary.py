"""A rule's conditions and actions as short readable lines for the rule list."""

from __future__ import annotations

from functools import cache

from django.utils.translation import gettext as _

from destek.accounts.models import Workspace
from destek.automation import schema
from destek.automation.models import Rule


class Summarizer:
    """Names for ids (categories, teams, …) loaded once per value type for the whole list."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._names = cache(self._load)

    def _load(self, value_type: str) -> dict[str, str]:
        return dict(schema.options(self.workspace, value_type) or [])

    def _value(self, value_type: str, value: object) -> str:
        if value_type in schema.SELECT_TYPES:
            return self._names(value_type).get(str(value), _("(silinmiş)"))
        return schema.raw_value(value)

    def _lines(self, items: list[dict], kinds: dict[str, schema.Kind]) -> list[str]:
        lines = []
        for item in items:
            kind = kinds.get(item["kind"])
            if kind is None:
                continue
            lines.append(f"{kind.label}: {self._value(kind.value_type, item['value'])}")
        return lines

    def conditions(self, rule: Rule) -> list[str]:
        return self._lines(rule.conditions, schema.CONDITIONS)

    def actions(self, rule: Rule) -> list[str]:
        return self._lines(rule.actions, schema.ACTIONS)
