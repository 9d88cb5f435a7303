"""The search index table, in each engine's own form (see destek.search.engines).

No foreign key to the ticket: a flush (TRUNCATE) of the tickets must not need CASCADE; rows of
deleted tickets are removed by a receiver and by ``search_rebuild``."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_ticket USING fts5("
    "ws, code, subject, people, body, notes, files, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_ticket"]

POSTGRES = [
    "CREATE TABLE search_ticket ("
    "ticket_id bigint PRIMARY KEY, "
    "workspace_id bigint NOT NULL, "
    "vector tsvector NOT NULL)",
    "CREATE INDEX search_ticket_vector ON search_ticket USING gin (vector)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_ticket"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [("tickets", "0005_teams")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
