"""When a snooze ends: the choices an agent picks from, in the workspace's time zone."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

MORNING = time(9, 0)


def snooze_until(choice: str, *, now: datetime | None = None, custom: str = "") -> datetime | None:
    """The instant a choice stands for (``None`` when it is unknown); ``custom`` is a
    ``datetime-local`` value ("2026-11-24T10:30") read in the current time zone."""
    now = timezone.localtime(now or timezone.now())
    if choice == "1h":
        return now + timedelta(hours=1)
    if choice == "4h":
        return now + timedelta(hours=4)
    if choice == "tomorrow":
        return _at_morning(now.date() + timedelta(days=1), now)
    if choice == "week":
        return _at_morning(now.date() + timedelta(days=7 - now.weekday()), now)
    if choice == "custom" and custom:
        try:
            value = datetime.fromisoformat(custom)
        except ValueError:
            return None
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return None


def _at_morning(day, now: datetime) -> datetime:
    return timezone.make_aware(datetime.combine(day, MORNING), now.tzinfo)
