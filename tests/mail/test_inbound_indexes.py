"""Open mail is found by the partial indexes that hold only open mail, not by reading every
mail a mailbox or workspace ever received."""

import pytest
from django.db import connection

from destek.mail.models import InboundEmail, InboundSource, InboundStatus

from .inbound import make_mailbox

pytestmark = pytest.mark.django_db


def _plan(query) -> str:
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.fixture
def mailbox(workspace):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite uses a partial index only when the query repeats its condition")
    return make_mailbox(workspace)


def test_the_quarantine_page_reads_the_workspaces_open_mail(workspace, mailbox):
    query = InboundEmail.objects.open_mail().filter(
        workspace=workspace, status=InboundStatus.QUARANTINED
    )

    assert "USING INDEX inbound_open_by_workspace" in _plan(query)


def test_the_poller_finds_leftovers_among_the_mailboxs_open_mail(mailbox):
    query = InboundEmail.objects.open_mail().filter(
        mailbox=mailbox, source=InboundSource.IMAP, status=InboundStatus.RECEIVED
    )

    assert "USING INDEX inbound_open_by_mailbox" in _plan(query)
