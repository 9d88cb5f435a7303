"""destek/lib/form_renderer.py writes selects, options and inputs in Python: its markup must be
exactly the one Django's own widget templates give, for every widget it takes over."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st

from destek.lib.form_renderer import FastWidgetRenderer
from destek.tickets.forms import AssignForm, PriorityForm, ReplyForm, StatusForm

TEMPLATES = DjangoTemplates()
FAST = FastWidgetRenderer()

TRICKY = ["a \"quoted\" <b>bold</b> & 'single'", "Ödeme İşlemleri", "", " boşluk ", "1 < 2"]

WIDGETS = [
    (forms.Select(choices=[("", "—"), ("a", "A"), (1, "Bir"), (None, "Yok")]), "a"),
    (forms.Select(choices=[("x", label) for label in TRICKY]), "x"),
    (forms.Select(choices=[(label, label) for label in TRICKY]), TRICKY[0]),
    (forms.Select(choices=[("t", gettext_lazy("Açık")), ("s", mark_safe("<i>güvenli</i>"))]), "s"),
    (
        forms.Select(
            choices=[("Grup <1>", [("a", "A"), ("b", "B")]), ("c", "C"), ("Boş", [])],
            attrs={"class": "c", "disabled": True, "data-x": False, "data-n": 3},
        ),
        "b",
    ),
    (forms.SelectMultiple(choices=[("a", "A"), ("b", "B"), ("c", "C")]), ["a", "c"]),
    (forms.NullBooleanSelect(), None),
    (forms.NullBooleanSelect(), True),
    (forms.TextInput(attrs={"placeholder": 'Ara "ödeme"', "autofocus": True}), "a&b<c>"),
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.NumberInput(attrs={"min": 0}), 42),
    (forms.EmailInput(attrs={"required": True, "aria-invalid": False}), "ayse@firma.test"),
    (forms.HiddenInput(), mark_safe("<b>")),
    (forms.PasswordInput(render_value=True), "gizli"),
    (forms.URLInput(), "https://firma.test/?a=1&b=2"),
    (forms.DateInput(), dt.date(2026, 11, 23)),
    (forms.DateTimeInput(attrs={"type": "datetime-local"}), dt.datetime(2026, 11, 23, 9, 30)),
    (forms.TimeInput(), dt.time(17, 30)),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(attrs={"class": "switch"}), False),
    (forms.FileInput(), None),
    (forms.SearchInput(), "ara"),
    (forms.TelInput(), "+90 212"),
    (forms.ColorInput(), "#00ff00"),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda w: type(w).__name__)
def test_each_widget_renders_as_djangos_templates_do(widget, value):
    attrs = {"id": "id_alan"}
    expected = widget.render("alan", value, attrs=attrs, renderer=TEMPLATES)
    assert widget.render("alan", value, attrs=attrs, renderer=FAST) == expected


def test_other_templates_still_go_through_the_engine():
    for widget, value in [
        (forms.RadioSelect(choices=[("a", "A"), ("b", "<B>")]), "a"),
        (forms.CheckboxSelectMultiple(choices=[("a", "A")]), ["a"]),
        (forms.Textarea(), "satır 1\n<satır 2>"),
        (forms.ClearableFileInput(), None),
        (forms.SelectDateWidget(), dt.date(2026, 11, 23)),
    ]:
        expected = widget.render("alan", value, renderer=TEMPLATES)
        assert widget.render("alan", value, renderer=FAST) == expected


def test_a_select_with_its_own_option_template_goes_through_the_engine():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Custom(choices=[("a", "A"), ("b", "B")])
    assert widget.render("alan", "a", renderer=FAST) == widget.render(
        "alan", "a", renderer=TEMPLATES
    )


def test_the_ticket_pages_forms_render_the_same(workspace, agent, admin):
    forms_ = [
        AssignForm(agents=[agent, admin], initial={"assignee": agent.pk}),
        StatusForm(current_status="open", initial={"status": "open"}),
        PriorityForm(initial={"priority": "p1"}),
        ReplyForm(current_status="open"),
    ]
    for form in forms_:
        for name in form.fields:
            form.renderer = TEMPLATES
            expected = str(form[name])
            form.renderer = FAST
            assert str(form[name]) == expected


@settings(max_examples=200, deadline=None)
@given(
    labels=st.lists(st.text(max_size=12), min_size=1, max_size=6),
    attr_value=st.one_of(st.text(max_size=8), st.booleans(), st.integers()),
    value=st.text(max_size=8),
)
def test_any_text_renders_the_same(labels, attr_value, value):
    select = forms.Select(choices=[(label, label) for label in labels], attrs={"d": attr_value})
    text = forms.TextInput(attrs={"d": attr_value})
    for widget in (select, text):
        expected = widget.render("alan", value, renderer=TEMPLATES)
        assert widget.render("alan", value, renderer=FAST) == expected
