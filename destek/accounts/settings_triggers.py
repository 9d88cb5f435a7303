"""Database triggers that move ``Workspace.settings_version`` on every write to a table whose
rows pages keep per process (``settings_cache``). Used by migrations of the apps that own the
tables; SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

_BUMP = "UPDATE accounts_workspace SET settings_version = settings_version + 1 WHERE id = {row}"
_BUMP_USER = (
    "UPDATE accounts_workspace SET settings_version = settings_version + 1 "
    "WHERE id IN (SELECT workspace_id FROM accounts_membership WHERE user_id = NEW.id)"
)

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION destek_settings_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE accounts_workspace SET settings_version = settings_version + 1
        WHERE id = OLD.workspace_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE accounts_workspace SET settings_version = settings_version + 1
        WHERE id = NEW.workspace_id;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION destek_user_settings_changed() RETURNS trigger AS $$
BEGIN
    UPDATE accounts_workspace SET settings_version = settings_version + 1
    WHERE id IN (SELECT workspace_id FROM accounts_membership WHERE user_id = NEW.id);
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""


def _name(table: str) -> str:
    return f"{table}_settings_version"


def _create(table: str, columns: Sequence[str] | None, vendor: str) -> list[str]:
    update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
    if vendor == "postgresql":
        return [
            _PG_FUNCTION,
            f"CREATE TRIGGER {_name(table)} AFTER INSERT OR DELETE OR {update} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION destek_settings_changed()",
        ]
    return [
        f"CREATE TRIGGER {_name(table)}_insert AFTER INSERT ON {table} "
        f"BEGIN {_BUMP.format(row='NEW.workspace_id')}; END",
        f"CREATE TRIGGER {_name(table)}_delete AFTER DELETE ON {table} "
        f"BEGIN {_BUMP.format(row='OLD.workspace_id')}; END",
        f"CREATE TRIGGER {_name(table)}_update AFTER {update} ON {table} "
        f"BEGIN {_BUMP.format(row='OLD.workspace_id')}; "
        f"{_BUMP.format(row='NEW.workspace_id')}; END",
    ]


def _drop(table: str, vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {_name(table)} ON {table}"]
    return [f"DROP TRIGGER IF EXISTS {_name(table)}_{op}" for op in ("insert", "delete", "update")]


def _user_create(columns: Sequence[str], vendor: str) -> list[str]:
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
    if vendor == "postgresql":
        return [
            _PG_FUNCTION,
            f"CREATE TRIGGER {_name('accounts_user')} AFTER UPDATE ON accounts_user "
            f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION destek_user_settings_changed()",
        ]
    changed = changed.replace("IS DISTINCT FROM", "IS NOT")  # SQLite's spelling
    return [
        f"CREATE TRIGGER {_name('accounts_user')}_update AFTER UPDATE ON accounts_user "
        f"WHEN {changed} BEGIN {_BUMP_USER}; END"
    ]


def _run(statements: list[str], schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def watch_table(table: str, columns: Sequence[str] | None = None) -> migrations.RunPython:
    """A migration operation: any insert, delete or update (of ``columns`` when given) of a
    row of ``table`` (which has ``workspace_id``) moves that workspace's settings version."""

    def forwards(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _run(_create(table, columns, schema_editor.connection.vendor), schema_editor)

    def backwards(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _run(_drop(table, schema_editor.connection.vendor), schema_editor)

    return migrations.RunPython(forwards, backwards)


def watch_users(columns: Sequence[str]) -> migrations.RunPython:
    """A change of one of a user's ``columns`` moves the version of each of their workspaces."""

    def forwards(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _run(_user_create(columns, schema_editor.connection.vendor), schema_editor)

    def backwards(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _run(_drop("accounts_user", schema_editor.connection.vendor), schema_editor)

    return migrations.RunPython(forwards, backwards)
