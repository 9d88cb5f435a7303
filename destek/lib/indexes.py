"""Migration helpers for a foreign key's own one-column index.

Django gives every foreign key an index on its column. Where another index starts with that
column the second one only costs: every insert writes it, and SQLite without statistics may
even pick it over the better one. ``db_index=False`` drops it, but through AlterField, which on
SQLite copies the whole table (minutes at a million rows); these drop and make it directly.
"""

from __future__ import annotations

from django.db import migrations


def drop_plain_index(app_label: str, model_name: str, column: str) -> migrations.RunPython:
    """A reversible operation dropping the plain (non-unique, one-column) index on ``column``."""

    def drop(apps, schema_editor) -> None:
        connection = schema_editor.connection
        table = apps.get_model(app_label, model_name)._meta.db_table
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        for name, info in constraints.items():
            plain = info["index"] and not info["unique"] and not info["primary_key"]
            # Django names it "<table>_<column>_<hash>"; a partial index of ours has its own name.
            if plain and info["columns"] == [column] and name.startswith(f"{table}_{column}_"):
                schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")

    def create(apps, schema_editor) -> None:
        table = apps.get_model(app_label, model_name)._meta.db_table
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"CREATE INDEX {quote(f'{table}_{column}_plain')} ON {quote(table)} ({quote(column)})"
        )

    return migrations.RunPython(drop, create)
