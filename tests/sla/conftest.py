"""Helpers for the SLA tests: tickets created at a chosen Istanbul time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from destek.tickets import actions
from destek.tickets.models import Ticket

IST = ZoneInfo("Europe/Istanbul")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=IST)


def ist(*args: int) -> datetime:
    return datetime(*args, tzinfo=IST)


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


@pytest.fixture
def ticket_at(workspace, customer) -> Callable[..., Ticket]:
    def make(at: datetime = MONDAY_10, priority: str = "P2", **kwargs: object) -> Ticket:
        return actions.create_ticket(
            workspace=workspace,
            customer=customer,
            subject=kwargs.pop("subject", "Sipariş nerede?"),
            text="Merhaba",
            priority=priority,
            created_at=at,
            **kwargs,
        )

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
