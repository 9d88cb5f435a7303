"""destek/lib/html_text.py stands in for Django's escaping, ``linebreaks`` and ``date_format``
on the pages built in Python: each piece must give exactly what the Django original gives."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.defaultfilters import linebreaks_filter
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext, gettext_noop
from hypothesis import given, settings
from hypothesis import strategies as st

from destek.lib.html_text import PageText, esc, linebreaks

TEXT = st.text(alphabet=st.sampled_from("aİıŞş<>&\"' \n\r\t"), max_size=40)


@given(TEXT)
def test_esc_matches_django_escape(value: str) -> None:
    assert esc(value) == escape(value)


@given(TEXT)
def test_linebreaks_matches_django_filter(value: str) -> None:
    assert linebreaks(value) == linebreaks_filter(value, autoescape=True)


@pytest.mark.parametrize("language", ["tr", "en"])
@settings(max_examples=60)
@given(
    when=st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        max_value=dt.datetime(2040, 12, 31),
    )
)
def test_dates_match_date_format(language: str, when: dt.datetime) -> None:
    with translation.override(language):
        texts = PageText()
        assert texts.long_date(when) == date_format(when, "j F Y H:i")
        assert texts.short_date(when) == date_format(when, "j M H:i")
        # The month names come from the page's cache the second time.
        assert texts.long_date(when) == date_format(when, "j F Y H:i")


def test_text_is_translated_escaped_and_kept_per_page() -> None:
    # Source strings are Turkish; English is the translation.
    source = gettext_noop("Atanmamış")
    with translation.override("en"):
        texts = PageText()
        assert texts.text(source) == escape(gettext(source)) == "Unassigned"
    with translation.override("tr"):
        # A page keeps the language it was built in; a new page takes the current one.
        assert texts.text(source) == "Unassigned"
        assert PageText().text(source) == "Atanmamış"
    made = []
    assert texts.once("k", lambda: made.append(1) or "<x>") == "&lt;x&gt;"
    assert texts.once("k", lambda: made.append(1) or "<y>") == "&lt;x&gt;"
    assert made == [1]
