"""Portal helpers: a browser signed in as a customer the way a customer signs in — by following
a one-time link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from destek.portal import signin
from destek.tickets.models import Customer

LINK = re.compile(r"https?://\S+/s/[a-z0-9-]+/giris/[\w-]+/\S*")


def signed_in(customer: Customer) -> Client:
    """A client that followed a fresh one-time link of ``customer``."""
    client = Client()
    issued = signin.issue_link(customer=customer)
    path = issued.url.split("://", 1)[1].split("/", 1)[1]
    response = client.post("/" + path)
    assert response.status_code == 302, response.status_code
    return client


def links_in_system_mail(to: str) -> list[str]:
    """Sign-in links in the system mail sent to ``to`` (Django's test outbox)."""
    return [
        match.group(0)
        for message in mail.outbox
        if to in message.to
        for match in [LINK.search(message.body)]
        if match
    ]


@pytest.fixture
def customer_client(customer) -> Client:
    return signed_in(customer)
