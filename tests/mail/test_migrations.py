"""Mail's migrations keep every stored message: the bytes move to their own table and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("mail", "0006_covered_fk_indexes")]
AFTER = [("mail", "0007_inbound_raw_apart")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_bytes_of_each_mail_move_to_their_own_table_and_back():
    old = _migrate(BEFORE)
    workspace = old.get_model("accounts", "Workspace").objects.create(
        name="Anadolu", slug="anadolu", prefix="DST"
    )
    mailbox = old.get_model("mail", "Mailbox").objects.create(
        workspace=workspace, address="destek@anadolu.test"
    )
    inbound = old.get_model("mail", "InboundEmail")
    kept = inbound.objects.create(
        workspace=workspace, mailbox=mailbox, source="pipe", raw=b"Subject: a\r\n\r\nb\r\n",
        size=17, sha256="1",
    )  # fmt: skip
    erased = inbound.objects.create(
        workspace=workspace, mailbox=mailbox, source="pipe", raw=b"", size=9, sha256="2"
    )
    try:
        new = _migrate(AFTER)
        raw = new.get_model("mail", "InboundRaw")
        assert {row.inbound_id: bytes(row.data) for row in raw.objects.all()} == {
            kept.pk: b"Subject: a\r\n\r\nb\r\n"
        }

        old = _migrate(BEFORE)
        back = old.get_model("mail", "InboundEmail").objects.order_by("pk")
        assert [bytes(row.raw) for row in back] == [b"Subject: a\r\n\r\nb\r\n", b""]
        assert erased.pk == back[1].pk
    finally:
        _migrate(executor_leaves())


def executor_leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
