import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from destek.tickets.models import Ticket
from destek.tickets.queries import queue_tickets
from destek.tickets.status import ACTIVE


def test_statuses_are_written_into_the_sql_sorted(workspace):
    sql = str(Ticket.objects.filter(status__in_literal=ACTIVE).query)

    assert "\"status\" IN ('new', 'open', 'pending')" in sql


def test_only_plain_status_words_reach_the_sql():
    with pytest.raises(ValueError, match="short lowercase words"):
        list(Ticket.objects.filter(status__in_literal=["open') OR 1=1 --"]))
    with pytest.raises(ValueError):
        list(Ticket.objects.filter(status__in_literal=[]))


def test_the_lookup_finds_what_in_finds(workspace, make_ticket):
    first, second = make_ticket(), make_ticket()
    Ticket.objects.filter(pk=second.pk).update(status="closed")

    assert list(Ticket.objects.filter(status__in_literal=ACTIVE)) == [first]
    assert list(Ticket.objects.filter(status__in_literal={"closed"})) == [second]


def test_sqlite_reads_the_default_queue_from_the_active_tickets_index(workspace, agent):
    if connection.vendor != "sqlite":
        pytest.skip("the partial-index rule is SQLite's; PostgreSQL plans by its statistics")
    ids = queue_tickets(workspace, agent, "open", {}).values_list("pk", flat=True)[:50]
    sql, params = ids.query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())

    assert "USING INDEX queue_active" in plan
    assert "TEMP B-TREE" not in plan


def test_sqlite_finds_follow_ups_by_their_index_when_nearly_every_row_has_none(
    workspace, make_ticket
):
    # Analysed with many tickets and no follow-up, a plain index on the column looked useless to
    # SQLite (a million rows per value) and the ticket page scanned the table for follow-ups.
    if connection.vendor != "sqlite":
        pytest.skip("a statistics quirk of SQLite's; PostgreSQL counts the NULLs apart")
    original = make_ticket()
    for _ in range(30):
        make_ticket()
    Ticket.objects.filter(pk=original.pk + 1).update(follow_up_of=original)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    sql, params = (
        original.follow_ups.select_related("workspace").order_by("number").query.sql_with_params()
    )

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())

    assert "USING INDEX ticket_follow_up" in plan


def test_a_follow_up_page_links_its_original_with_one_query_more(
    workspace, make_ticket, agent_client
):
    original, plain, follow_up = make_ticket(), make_ticket(), make_ticket()
    Ticket.objects.filter(pk=follow_up.pk).update(follow_up_of=original)
    base = f"/w/{workspace.slug}/t"
    agent_client.get(f"{base}/{plain.number}/")  # the session's first page writes it once

    with CaptureQueriesContext(connection) as plain_queries:
        agent_client.get(f"{base}/{plain.number}/")
    with CaptureQueriesContext(connection) as follow_up_queries:
        page = agent_client.get(f"{base}/{follow_up.number}/")

    assert f'{base}/{original.number}/">{original.code}</a>' in page.content.decode()
    # The original is read by its key when there is one: joining it for every ticket cost
    # each page more than this lookup costs the few follow-ups.
    assert len(follow_up_queries) == len(plain_queries) + 1
    # The workspace comes from the request, not from a join (the planner's cost on PostgreSQL).
    lookup = next(q["sql"] for q in follow_up_queries if '"tickets_ticket"."number" =' in q["sql"])
    assert "accounts_workspace" not in lookup
