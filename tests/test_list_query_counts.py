"""Every list page runs the same number of queries for a few rows as for many (no N+1)."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from destek.accounts import audit
from destek.accounts.models import Membership, Role
from destek.mail.models import InboundEmail, InboundStatus, Mailbox
from destek.tickets import actions
from tests.conftest import make_user


def _queries(client, url: str) -> int:
    client.get(url)  # a session's first page in a workspace writes it down once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _customers(workspace, start: int, count: int) -> None:
    for n in range(start, start + count):
        customer = actions.get_or_create_customer(
            workspace=workspace, email=f"musteri{n}@ornek.test", name=f"Müşteri {n}"
        )
        actions.create_ticket(workspace=workspace, customer=customer, subject=f"Konu {n}", text=".")


def _members(workspace, start: int, count: int) -> None:
    for n in range(start, start + count):
        user = make_user(f"temsilci{n}@anadolu.test", f"Temsilci {n}")
        Membership.objects.create(workspace=workspace, user=user, role=Role.AGENT)


def _audit(workspace, admin, start: int, count: int) -> None:
    for n in range(start, start + count):
        audit.record("member.invited", workspace=workspace, actor=admin, target=f"x{n}@a.test")


def _mailboxes(workspace, start: int, count: int) -> None:
    for n in range(start, start + count):
        Mailbox.objects.create(workspace=workspace, address=f"kutu{n}@anadolu.test")


def _quarantine(workspace, start: int, count: int) -> None:
    mailbox = Mailbox.objects.filter(workspace=workspace).first() or Mailbox.objects.create(
        workspace=workspace, address="destek@anadolu.test"
    )
    for n in range(start, start + count):
        raw = f"Subject: bozuk {n}\n\n.".encode()
        InboundEmail.objects.create(
            workspace=workspace,
            mailbox=mailbox,
            source="pipe",
            raw=raw,
            size=len(raw),
            sha256=hashlib.sha256(raw).hexdigest(),
            status=InboundStatus.QUARANTINED,
            error="bozuk MIME",
        )


PAGES = [
    ("customers/", _customers),
    ("members/", _members),
    ("audit/", _audit),
    ("mailboxes/", _mailboxes),
    ("quarantine/", _quarantine),
]


@pytest.mark.parametrize(("path", "grow"), PAGES, ids=[path for path, _ in PAGES])
def test_list_page_query_count_does_not_grow_with_rows(workspace, admin, admin_client, path, grow):
    def add(start: int, count: int) -> None:
        if grow is _audit:
            grow(workspace, admin, start, count)
        else:
            grow(workspace, start, count)

    url = f"/w/{workspace.slug}/{path}"
    add(0, 2)
    few = _queries(admin_client, url)
    add(2, 12)
    many = _queries(admin_client, url)
    assert many == few


def test_customer_page_query_count_does_not_grow_with_tickets(workspace, customer, agent_client):
    url = f"/w/{workspace.slug}/customers/{customer.pk}/"
    actions.create_ticket(workspace=workspace, customer=customer, subject="Bir", text=".")
    few = _queries(agent_client, url)
    for n in range(10):
        actions.create_ticket(workspace=workspace, customer=customer, subject=f"K{n}", text=".")
    assert _queries(agent_client, url) == few
