"""The engines' bulk append gives the documents their one-by-one appends give."""

from __future__ import annotations

import pytest
from django.db import connection

from destek.search.engines import TABLE, engine
from destek.tickets import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_tickets(workspace, customer):
    return [
        actions.create_ticket(
            workspace=workspace, customer=customer, subject=subject, text="ilk ileti"
        )
        for subject in ("Kargo", "Fatura")
    ]


def _documents(ticket_ids: list[int]) -> list[tuple]:
    if connection.vendor == "postgresql":
        # The words without their positions, less the ticket's code ("dst3", "3").
        sql = (
            "SELECT ticket_id, array(SELECT w FROM unnest(tsvector_to_array(vector)) AS w "  # noqa: S608
            f"WHERE w !~ '[0-9]' ORDER BY w) FROM {TABLE} WHERE ticket_id = ANY(%s)"
        )
        params = [ticket_ids]
    else:
        marks = ", ".join(["%s"] * len(ticket_ids))
        sql = f"SELECT rowid, body, files FROM {TABLE} WHERE rowid IN ({marks})"  # noqa: S608
        params = ticket_ids
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(cursor.fetchall())


def _rows(first: int, second: int) -> list[tuple[int, str, str]]:
    return [
        (first, "body", "ikinci ileti"),
        (second, "body", "baska bilet"),
        (first, "files", "fatura pdf"),
        (first, "body", "ucuncu ileti"),
    ]


def test_appending_many_gives_the_documents_one_by_one_appends_give(workspace, customer):
    pairs = [
        [
            actions.create_ticket(
                workspace=workspace, customer=customer, subject=subject, text="ilk ileti"
            ).pk
            for subject in ("Kargo", "Fatura")
        ]
        for _pair in range(2)
    ]
    for ticket_id, column, text in _rows(*pairs[0]):
        assert engine().append(ticket_id, column, text)
    assert engine().append_many(_rows(*pairs[1])) == set()
    one_by_one, at_once = ([row[1:] for row in _documents(ids)] for ids in pairs)
    assert at_once == one_by_one
    assert "ucuncu" in str(at_once[0])


def test_a_ticket_without_a_document_is_named(two_tickets):
    first, second = (ticket.pk for ticket in two_tickets)
    engine().delete([second])
    assert engine().append_many(_rows(first, second)) == {second}


def test_one_update_per_ticket_on_sqlite(two_tickets):
    if connection.vendor != "sqlite":
        pytest.skip("FTS5's UPDATEs")
    ids = [ticket.pk for ticket in two_tickets]
    updates = []

    def count(execute, sql, params, many, context):
        if sql.startswith("UPDATE"):
            updates.extend(params if many else [params])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        engine().append_many(_rows(*ids))
    assert len(updates) == 2
