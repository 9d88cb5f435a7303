"""The form renderer: Django's own, with the most common widgets written out in Python.

A select list goes through the template engine once per option (an include of the option and
one of its attributes each): the ticket page's side forms and the queue's filters, with the
workspace's agents, categories and teams, spent more time there than in their queries. The
markup below is exactly what Django's templates ``django/forms/widgets/{select,select_option,
input,attrs}.html`` (and the input templates that only include ``input.html``) give:
``tests/lib/test_form_renderer.py`` compares the two for every kind of widget they serve. Any
other template still goes through the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
# Templates that are nothing but ``{% include "django/forms/widgets/input.html" %}``.
_INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input", "text", "email", "number", "password", "hidden", "url", "search", "tel",
        "date", "datetime", "time", "color", "checkbox", "file",
    )
)  # fmt: skip


def _text(value: object) -> str:
    # What ``{{ value }}`` prints: SafeStrings as they are, anything else escaped.
    return str(conditional_escape(value))


def _formatted(value: object) -> str:
    # What ``{{ value|stringformat:'s' }}`` prints: the filter's result is never safe.
    return str(conditional_escape("%s" % (value,)))  # noqa: UP031 - the filter's own formatting


def attributes(attrs: Mapping[str, Any]) -> str:
    """``attrs.html``: ``False`` leaves an attribute out, ``True`` writes its name alone."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def option(widget: Mapping[str, Any]) -> str:
    return (
        f'<option value="{_formatted(widget["value"])}"{attributes(widget["attrs"])}>'
        f"{_text(widget['label'])}</option>"
    )


def select(widget: Mapping[str, Any]) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for choice in group_choices:
            if choice["template_name"] != _OPTION:
                return None  # a widget with its own option template: leave it to the engine
            # The included option template ends with its file's line break.
            parts.append(f"\n  {option(choice)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def input_(widget: Mapping[str, Any]) -> str:
    value = ""
    if widget["value"] is not None:
        value = f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}'
        f"{attributes(widget['attrs'])}>"
    )


class FastWidgetRenderer(DjangoTemplates):
    """Selects, options and inputs in Python; everything else through the templates."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        html: str | None = None
        if template_name == _SELECT:
            html = select(context["widget"])
        elif template_name == _OPTION:
            html = option(context["widget"])
        elif template_name in _INPUTS:
            html = input_(context["widget"])
        if html is None:
            return super().render(template_name, context, request)
        return html.strip()
