"""Tables written for every mail carry no index another index already covers."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

# Written for every inbound mail (DESIGN §9: each index is one more B-tree insert per row).
INGEST_TABLES = [
    "mail_inboundemail",
    "mail_messageenvelope",
    "mail_participant",
    "mail_outboundemail",
    "tickets_ticket",
    "tickets_message",
    "tickets_ticketevent",
    "tickets_customer",
    "reports_ticketfigures",
]


@pytest.mark.parametrize("table", INGEST_TABLES)
def test_no_plain_one_column_index_is_the_start_of_another(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexes = {
        name: info["columns"]
        for name, info in constraints.items()
        if info["index"] or info["unique"] or info["primary_key"]
    }
    covered = [
        name
        for name, info in constraints.items()
        if info["index"]
        and not info["unique"]
        and not info["primary_key"]
        and len(info["columns"]) == 1
        and name.startswith(f"{table}_{info['columns'][0]}_")  # Django's name for an FK index
        and any(
            other != name and len(columns) > 1 and columns[0] == info["columns"][0]
            for other, columns in indexes.items()
        )
    ]

    assert covered == []
