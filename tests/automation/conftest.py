"""Rules for the shared cast's workspace, and tickets created the way ingestion creates them
(the on-commit signals run, so the rules see the ticket as they would in production)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from destek.automation.models import Rule
from destek.tickets import actions
from destek.tickets.models import Category, Ticket


@pytest.fixture
def make_rule(workspace) -> Callable[..., Rule]:
    def make(
        name: str = "Ödeme acil",
        *,
        conditions: list[dict] | None = None,
        actions: list[dict] | None = None,
        trigger: str = "ticket_created",
        match: str = "all",
        workspace=workspace,
        position: int | None = None,
    ) -> Rule:
        if position is None:
            position = Rule.objects.filter(workspace=workspace).count() + 10
        return Rule.objects.create(
            workspace=workspace,
            name=name,
            trigger=trigger,
            match=match,
            conditions=conditions or [],
            actions=actions or [{"kind": "set_priority", "value": "P0"}],
            position=position,
        )

    return make


@pytest.fixture
def arrive(workspace, customer, django_capture_on_commit_callbacks) -> Callable[..., Ticket]:
    """A new ticket with its on-commit receivers run (rules, routing, mail), read back fresh."""

    def create(subject: str = "Sipariş durumu", text: str = "Siparişim nerede?", **kwargs):
        kwargs.setdefault("customer", customer)
        with django_capture_on_commit_callbacks(execute=True):
            ticket = actions.create_ticket(
                workspace=kwargs.pop("workspace", workspace), subject=subject, text=text, **kwargs
            )
        return Ticket.objects.get(pk=ticket.pk)

    return create


@pytest.fixture
def payment(workspace) -> Category:
    return Category.objects.get(workspace=workspace, name="Ödeme / Checkout")
