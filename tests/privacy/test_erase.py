"""destek/privacy/erase.py: a customer's personal data goes, numbers and metrics stay."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from destek.accounts.models import AuditLog
from destek.mail.models import InboundEmail, InboundRaw, MessageEnvelope, OutboundEmail
from destek.privacy.erase import REDACTED, email_fingerprint, erase_customer, erased_address
from destek.tickets.models import Attachment, Message, Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def test_erasure_removes_personal_data_and_keeps_the_numbers(mailed_ticket, admin):
    customer = mailed_ticket.customer
    files = list(Attachment.objects.values_list("file", flat=True))
    before = (mailed_ticket.number, mailed_ticket.status, mailed_ticket.first_response_at)
    assert files and all(default_storage.exists(name) for name in files)

    report = erase_customer(customer=customer, actor=admin)

    ticket = Ticket.objects.get(pk=mailed_ticket.pk)
    customer.refresh_from_db()
    assert (ticket.number, ticket.status, ticket.first_response_at) == before
    assert ticket.subject == REDACTED
    assert (customer.email, customer.name) == (erased_address(customer.pk), "")
    assert set(Message.objects.filter(ticket=ticket).values_list("text", "html")) == {
        (REDACTED, "")
    }
    assert list(Message.objects.filter(ticket=ticket).values_list("kind", flat=True)) == [
        "customer",
        "reply",
        "note",
    ]
    assert Attachment.objects.count() == 0
    assert not any(default_storage.exists(name) for name in files)
    assert [inbound.raw for inbound in InboundEmail.objects.all()] == [b""]
    assert InboundEmail.objects.count() == 1  # the row stays: its hash keeps a re-fetch out
    assert InboundRaw.objects.count() == 0
    envelopes = MessageEnvelope.objects.values_list("from_address", "to", "subject")
    assert [tuple(e) for e in envelopes] == [("", [], "")] * len(envelopes) != []
    outbox = OutboundEmail.objects.values_list("to", "subject", "body")
    assert {(tuple(to), subject, body) for to, subject, body in outbox} == {((), REDACTED, "")}
    assert (report.tickets, report.attachments, report.raw_emails) == ([ticket.code], 1, 1)


def test_erasure_is_audited_without_the_address(mailed_ticket, admin, workspace):
    erase_customer(customer=mailed_ticket.customer, actor=admin)

    entry = AuditLog.objects.get(action="customer.erased")
    assert (entry.workspace, entry.actor) == (workspace, admin)
    assert entry.data["email_sha256"] == email_fingerprint("sukru.ozturk@musteri.test")
    assert entry.data["tickets"] == [mailed_ticket.code]
    assert "sukru" not in str(entry.data) + entry.target


def test_nothing_of_the_customer_is_left_in_the_database(mailed_ticket, admin):
    """Every table, the search index's included (audit entries hold no customer data)."""
    from django.db import connection

    erase_customer(customer=mailed_ticket.customer, actor=admin)

    leftovers = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table == "accounts_auditlog":
                continue
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                text = " ".join(
                    bytes(v).decode("utf-8", "replace")
                    if isinstance(v, bytes | memoryview)
                    else str(v)
                    for v in row
                )
                for secret in ("sukru.ozturk", "Şükrü", "4111 1111", "Çiçek Sokak", "0532 000"):
                    if secret in text:
                        leftovers.append((table, secret))
    assert leftovers == []
