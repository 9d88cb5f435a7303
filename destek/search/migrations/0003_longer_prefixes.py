"""SQLite: prefix indexes for 2 to 6 letters, so a word prefix ("odeme"*, "kart"*) is one lookup
that FTS5 reads lazily from the newest end instead of a merge of every word it starts. The rows
are copied over, so no rebuild is needed. PostgreSQL: nothing to do."""

from django.db import migrations

COLUMNS = "ws, code, subject, people, body, notes, files"


def _recreate(prefix: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in (
            f"CREATE VIRTUAL TABLE search_ticket_new USING fts5({COLUMNS}, "
            f"tokenize = 'unicode61 remove_diacritics 2', prefix = '{prefix}')",
            f"INSERT INTO search_ticket_new (rowid, {COLUMNS}) "
            f"SELECT rowid, {COLUMNS} FROM search_ticket",  # noqa: S608
            "DROP TABLE search_ticket",
            "ALTER TABLE search_ticket_new RENAME TO search_ticket",
        ):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_saved_views")]

    operations = [migrations.RunPython(_recreate("2 3 4 5 6"), _recreate("2 3"))]
