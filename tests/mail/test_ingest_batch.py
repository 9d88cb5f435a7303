"""Batches of mail (``ingest.receive_many`` + ``ingest.process_many``): stored together, then
processed in one transaction with a savepoint per mail and workspace lookups loaded once."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from destek.mail import ingest
from destek.mail.models import InboundEmail, InboundStatus
from destek.tickets.models import Ticket

from .inbound import build_mail, make_mailbox

pytestmark = pytest.mark.django_db

SENT = datetime(2024, 3, 18, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _new_request(n: int) -> bytes:
    # Dated at a fixed instant: the same request built twice is the same bytes (with "now",
    # a second ticking over between two deliveries made them two different mails).
    return build_mail(
        subject=f"Sipariş {n} gelmedi",
        sender=f"Müşteri {n} <musteri{n}@musteri.test>",
        message_id=f"<istek.{n}@musteri.test>",
        date=SENT,
    )


def test_a_batch_is_stored_before_any_of_it_is_processed(workspace):
    mailbox = make_mailbox(workspace)
    stored = ingest.receive_many(mailbox, [_new_request(1), _new_request(2)], source="pipe")
    assert [row.status for row in InboundEmail.objects.order_by("pk")] == [
        InboundStatus.RECEIVED,
        InboundStatus.RECEIVED,
    ]
    assert [row.pk for row in stored] == list(InboundEmail.objects.values_list("pk", flat=True))


def test_a_reply_in_the_same_batch_joins_the_ticket_and_a_bad_mail_is_quarantined_alone(
    workspace,
):
    mailbox = make_mailbox(workspace)
    reply = build_mail(
        subject="Re: Sipariş 1 gelmedi",
        sender="Müşteri 1 <musteri1@musteri.test>",
        message_id="<yanit.1@musteri.test>",
        in_reply_to="<istek.1@musteri.test>",
        text="Hâlâ bekliyorum.\n",
    )
    raws = [_new_request(1), b"", reply, _new_request(2)]
    ingest.process_many(ingest.receive_many(mailbox, raws, source="pipe"))

    rows = list(InboundEmail.objects.order_by("pk"))
    assert [row.status for row in rows] == [
        InboundStatus.PROCESSED,
        InboundStatus.QUARANTINED,
        InboundStatus.PROCESSED,
        InboundStatus.PROCESSED,
    ]
    assert rows[1].error == "İleti boş."
    first = Ticket.objects.get(subject="Sipariş 1 gelmedi")
    assert (rows[0].ticket_id, rows[2].ticket_id) == (first.pk, first.pk)
    assert first.messages.count() == 2
    assert Ticket.objects.count() == 2


def test_workspace_lookups_are_loaded_once_per_batch(workspace):
    mailbox = make_mailbox(workspace)
    stored = ingest.receive_many(mailbox, [_new_request(n) for n in range(5)], source="pipe")
    with CaptureQueriesContext(connection) as queries:
        ingest.process_many(stored)
    sql = [query["sql"] for query in queries.captured_queries]
    own_addresses = [q for q in sql if 'SELECT "mail_mailbox"."address"' in q]
    opening_hours = [q for q in sql if 'FROM "sla_openinghours"' in q]
    policies = [q for q in sql if 'FROM "sla_slapolicy"' in q]
    assert (len(own_addresses), len(opening_hours), len(policies)) == (1, 1, 1)
    assert Ticket.objects.count() == 5


def test_processing_a_batch_again_changes_nothing(workspace):
    mailbox = make_mailbox(workspace)
    stored = ingest.receive_many(mailbox, [_new_request(1), _new_request(2)], source="pipe")
    ingest.process_many(stored)
    again = ingest.receive_many(mailbox, [_new_request(1), _new_request(2)], source="pipe")
    ingest.process_many(again)
    assert [row.pk for row in again] == [row.pk for row in stored]
    assert InboundEmail.objects.count() == 2
    assert Ticket.objects.count() == 2


@pytest.mark.parametrize("uids", [None, [11, 12]], ids=["pipe", "imap"])
def test_sqlite_looks_stored_copies_up_by_digest_not_by_reading_the_mailbox(workspace, uids):
    # With the foreign key's own mailbox index SQLite (no statistics yet) read every stored
    # mail of the mailbox, raw bytes and all, for each batch: a cost growing with the mailbox.
    if connection.vendor != "sqlite":
        pytest.skip("a planner choice of SQLite's without statistics")
    mailbox = make_mailbox(workspace)
    raws = [_new_request(1), _new_request(2)]
    with CaptureQueriesContext(connection) as context:
        ingest.receive_many(
            mailbox, raws, source="imap", uidvalidity=7 if uids else None, uids=uids
        )
    lookups = [
        q["sql"]
        for q in context.captured_queries
        if q["sql"].startswith("SELECT") and "last_insert_rowid" not in q["sql"]
    ]
    assert len(lookups) == (2 if uids else 1)
    plan = ""
    with connection.cursor() as cursor:
        for lookup in lookups:
            cursor.execute(f"EXPLAIN QUERY PLAN {lookup}")
            plan += " ".join(str(row[-1]) for row in cursor.fetchall())

    assert "sha256=?" in plan
    if uids:
        assert "uid=?" in plan
    assert "(mailbox_id=?)" not in plan


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("outer_transaction", [False, True])
def test_a_copy_stored_meanwhile_sends_the_batch_mail_by_mail(workspace, outer_transaction):
    # Another process stores a copy of the first mail between the batch's read of the stored
    # copies and its INSERT: the unique index says no and the batch is stored mail by mail,
    # in a transaction of its own (or the caller's, once its savepoint is rolled back).
    mailbox = make_mailbox(workspace)
    raws = [_new_request(1), _new_request(2)]
    insert = ingest.rows.insert
    sneaked = []

    def insert_after_a_copy(rows: list) -> None:
        if rows and isinstance(rows[0], InboundEmail) and not sneaked:
            sneaked.append(rows[0].sha256)
            copy = rows[0].__class__(
                workspace_id=mailbox.workspace_id,
                mailbox=mailbox,
                source="pipe",
                raw=raws[0],
                size=len(raws[0]),
                sha256=rows[0].sha256,
            )
            copy.save()
        insert(rows)

    with mock.patch.object(ingest.rows, "insert", insert_after_a_copy):
        if outer_transaction:
            with transaction.atomic():
                stored = ingest.receive_many(mailbox, raws, source="pipe")
        else:
            stored = ingest.receive_many(mailbox, raws, source="pipe")
    assert sneaked
    assert InboundEmail.objects.count() == 2
    assert [row.raw for row in stored] == raws
    assert [row.pk for row in stored] == list(
        InboundEmail.objects.order_by("pk").values_list("pk", flat=True)
    )
