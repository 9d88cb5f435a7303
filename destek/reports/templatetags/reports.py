"""Showing report numbers the same way on pages as in tables and e-mails."""

from __future__ import annotations

from datetime import timedelta

from django import template

from destek.reports import tables

register = template.Library()


@register.filter
def duration(seconds: float | None) -> str:
    return tables.duration(seconds)


@register.filter
def age(delta: timedelta) -> str:
    return tables.duration(delta.total_seconds())


@register.filter
def percent(value: float | None) -> str:
    return tables.show(value, tables.PERCENT)


@register.filter
def change(value: float | None) -> str:
    return tables.show(value, tables.CHANGE)
