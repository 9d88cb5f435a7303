"""The two search engines behind one interface: SQLite FTS5 (the embedded default) and
PostgreSQL full-text search (a GIN-indexed tsvector).

Both index the folded words of :mod:`destek.search.documents` in one row per ticket, keyed by the
ticket's id, and answer a query with ticket ids newest first, so the caller can apply the queue's
filters to a short list of candidates and page by id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from django.db import connection

from destek.search.documents import COLUMNS, Document

TABLE = "search_ticket"


class Engine:
    """What the rest of the app may ask of an index."""

    def put(self, docs: Iterable[Document]) -> None:
        """Write whole documents, replacing any older version."""
        raise NotImplementedError

    def append(self, ticket_id: int, column: str, text: str) -> bool:
        """Add folded ``text`` to one column; False when the ticket has no document yet."""
        raise NotImplementedError

    def delete(self, ticket_ids: Sequence[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def match(
        self,
        workspace_id: int,
        terms: Sequence[str],
        *,
        include_notes: bool,
        before: int | None,
        limit: int,
    ) -> list[int]:
        """Ids of the tickets holding every term (each as a word prefix), newest first,
        below ``before`` when given."""
        raise NotImplementedError


# Columns searched when notes are not: every column but the notes.
_PUBLIC = tuple(column for column in COLUMNS if column != "notes")


_SQLITE_DELETE = "DELETE FROM search_ticket WHERE rowid = %s"


class SqliteEngine(Engine):
    """FTS5, ``unicode61`` tokens over already-folded text; rowid = ticket id, so ``ORDER BY
    rowid DESC LIMIT n`` walks the newest matches first and stops early."""

    def put(self, docs: Iterable[Document]) -> None:
        rows = []
        for doc in docs:
            values = doc.values()
            rows.append((doc.ticket_id, f"w{doc.workspace_id}", *(values[c] for c in COLUMNS)))
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany(_SQLITE_DELETE, [(r[0],) for r in rows])
            columns = ", ".join(COLUMNS)
            marks = ", ".join(["%s"] * (len(COLUMNS) + 2))
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, ws, {columns}) VALUES ({marks})",  # noqa: S608
                rows,
            )

    def append(self, ticket_id: int, column: str, text: str) -> bool:
        assert column in COLUMNS
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET {column} = {column} || ' ' || %s WHERE rowid = %s",  # noqa: S608
                [text, ticket_id],
            )
            return cursor.rowcount > 0

    def delete(self, ticket_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(_SQLITE_DELETE, [(pk,) for pk in ticket_ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608

    def match(self, workspace_id, terms, *, include_notes, before, limit):
        columns = " ".join(COLUMNS if include_notes else _PUBLIC)
        phrases = " AND ".join(_fts_term(term) for term in terms)
        expression = f'ws : "w{workspace_id}" AND {{{columns}}} : ({phrases})'
        sql = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"  # noqa: S608
        params: list[object] = [expression]
        if before is not None:
            sql += " AND rowid < %s"
            params.append(before)
        sql += " ORDER BY rowid DESC LIMIT %s"
        params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


def _fts_term(term: str) -> str:
    # Terms are folded words (letters and digits only), so quoting cannot be broken out of. A
    # one-letter prefix would expand to half the vocabulary: it must match a whole word.
    return f'"{term}"*' if len(term) > 1 else f'"{term}"'


# PostgreSQL weights: notes get D so a search without notes can leave them out (":*ABC").
_WEIGHTS = {"code": "A", "subject": "A", "people": "B", "files": "B", "body": "C", "notes": "D"}


@cache
def pg_config() -> str:
    """'turkish' (Snowball stemming) when this PostgreSQL build has it, else 'simple'."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'turkish'")
        return "turkish" if cursor.fetchone() else "simple"


class PostgresEngine(Engine):
    """One ``tsvector`` per ticket with a GIN index; each column carries a weight."""

    def _vector_sql(self) -> str:
        cfg = pg_config()
        return " || ".join(
            f"setweight(to_tsvector('{cfg}', %s), '{_WEIGHTS[column]}')" for column in COLUMNS
        )

    def put(self, docs: Iterable[Document]) -> None:
        rows = []
        for doc in docs:
            values = doc.values()
            rows.append((doc.ticket_id, doc.workspace_id, *(values[c] for c in COLUMNS)))
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (ticket_id, workspace_id, vector) "  # noqa: S608
                f"VALUES (%s, %s, {self._vector_sql()}) "
                "ON CONFLICT (ticket_id) DO UPDATE SET vector = EXCLUDED.vector, "
                "workspace_id = EXCLUDED.workspace_id",
                rows,
            )

    def append(self, ticket_id: int, column: str, text: str) -> bool:
        cfg, weight = pg_config(), _WEIGHTS[column]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET vector = vector || "  # noqa: S608
                f"setweight(to_tsvector('{cfg}', %s), '{weight}') WHERE ticket_id = %s",
                [text, ticket_id],
            )
            return cursor.rowcount > 0

    def delete(self, ticket_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE ticket_id = ANY(%s)", [list(ticket_ids)])  # noqa: S608

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLE}")

    def match(self, workspace_id, terms, *, include_notes, before, limit):
        suffix = ":*" if include_notes else ":*ABC"
        query = " & ".join(f"{term}{suffix}" for term in terms)
        sql = (
            f"SELECT ticket_id FROM {TABLE} WHERE workspace_id = %s "  # noqa: S608
            f"AND vector @@ to_tsquery('{pg_config()}', %s)"
        )
        params: list[object] = [workspace_id, query]
        if before is not None:
            sql += " AND ticket_id < %s"
            params.append(before)
        sql += " ORDER BY ticket_id DESC LIMIT %s"
        params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


def engine() -> Engine:
    """The engine for the default database."""
    return PostgresEngine() if connection.vendor == "postgresql" else SqliteEngine()
