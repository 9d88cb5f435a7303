"""Helpers for the desk tests: more tickets for the shared cast's customer."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from destek.tickets import actions
from destek.tickets.models import Attachment, Ticket


@pytest.fixture
def make_ticket(workspace, customer) -> Callable[..., Ticket]:
    def make(subject: str = "Sipariş durumu", **kwargs: object) -> Ticket:
        kwargs.setdefault("customer", customer)
        kwargs.setdefault("text", "Siparişim nerede?")
        return actions.create_ticket(workspace=workspace, subject=subject, **kwargs)

    return make


@pytest.fixture
def attachment(workspace, customer) -> Attachment:
    ticket = actions.create_ticket(
        workspace=workspace,
        customer=customer,
        subject="Ekran görüntüsü",
        text="Hata ekte.",
        files=[SimpleUploadedFile("hata.png", b"\x89PNG ekran", "image/png")],
    )
    return ticket.messages.get().attachments.get()


def page_text(response) -> str:
    return response.content.decode()


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The cast's passwords are hashed for every test; Argon2 would dominate the run time here,
    # and no test in this package is about password hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
