"""The two search engines behind one interface: SQLite FTS5 (the embedded default) and
PostgreSQL full-text search (a GIN-indexed tsvector).

Both index the folded words of :mod:`destek.search.documents` in one row per ticket, keyed by the
ticket's id, and answer a query with ticket ids newest first, so the caller can apply the queue's
filters to a short list of candidates and page by id.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence

from django.db import connection, transaction

from destek.search.documents import COLUMNS, Document

TABLE = "search_ticket"


class Engine:
    """What the rest of the app may ask of an index."""

    def put(self, docs: Iterable[Document], *, fresh: bool = False) -> None:
        """Write whole documents, replacing any older version (``fresh``: the index holds none
        of them, as in a rebuild after :meth:`clear`)."""
        raise NotImplementedError

    def before_rebuild(self) -> None:
        """Prepare the index for a bulk load of every document."""

    def append(self, ticket_id: int, column: str, text: str) -> bool:
        """Add folded ``text`` to one column; False when the ticket has no document yet."""
        raise NotImplementedError

    def append_many(self, rows: Sequence[tuple[int, str, str]]) -> set[int]:
        """:meth:`append` for many ``(ticket_id, column, text)`` rows, in order; returns the
        tickets that had no document (the caller reindexes them, as after ``append``)."""
        return {
            ticket_id
            for ticket_id, column, text in rows
            if not self.append(ticket_id, column, text)
        }

    def delete(self, ticket_ids: Sequence[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def after_rebuild(self) -> None:
        """Refresh whatever the engine keeps about the index as a whole."""

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
_SQLITE_FIND = f"SELECT rowid FROM {TABLE} WHERE rowid IN "  # noqa: S608


class SqliteEngine(Engine):
    """FTS5, ``unicode61`` tokens over already-folded text; rowid = ticket id, so ``ORDER BY
    rowid DESC LIMIT n`` walks the newest matches first and stops early."""

    def put(self, docs: Iterable[Document], *, fresh: bool = False) -> None:
        rows = []
        for doc in docs:
            values = doc.values()
            rows.append((doc.ticket_id, f"w{doc.workspace_id}", *(values[c] for c in COLUMNS)))
        if not rows:
            return
        with connection.cursor() as cursor:
            if not fresh:
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

    def append_many(self, rows: Sequence[tuple[int, str, str]]) -> set[int]:
        # One UPDATE per ticket, whatever it gets: FTS5 takes a document's every word out of
        # the index and puts them back on each UPDATE, so two replies, or a reply and its file
        # names, cost the ticket's whole text twice where one UPDATE gives the same text.
        pieces: dict[int, dict[str, list[str]]] = {}
        for ticket_id, column, text in rows:
            assert column in COLUMNS
            pieces.setdefault(ticket_id, {}).setdefault(column, []).append(text)
        by_columns: dict[tuple[str, ...], list[list[object]]] = {}
        for ticket_id, texts in pieces.items():
            columns = tuple(column for column in COLUMNS if column in texts)
            params = [" ".join(texts[column]) for column in columns]
            by_columns.setdefault(columns, []).append([*params, ticket_id])
        changed = 0
        with connection.cursor() as cursor:
            for columns, params in by_columns.items():
                appends = ", ".join(f"{column} = {column} || ' ' || %s" for column in columns)
                cursor.executemany(f"UPDATE {TABLE} SET {appends} WHERE rowid = %s", params)  # noqa: S608
                changed += cursor.rowcount
            if changed == len(pieces):
                return set()
            return _without_document(cursor, _SQLITE_FIND, pieces)

    def delete(self, ticket_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(_SQLITE_DELETE, [(pk,) for pk in ticket_ids])

    def clear(self) -> None:
        # Dropped and created again from its own definition: a DELETE takes every document's
        # words out of the index one by one (minutes at a million tickets).
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [TABLE])
            (definition,) = cursor.fetchone()
            cursor.execute(f"DROP TABLE {TABLE}")
            cursor.execute(definition)

    def before_rebuild(self) -> None:
        # No merging while loading: one 'optimize' at the end merges every segment once, where
        # the default merges the same rows again and again as segments pile up.
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} ({TABLE}, rank) VALUES ('automerge', 0)")  # noqa: S608

    def after_rebuild(self) -> None:
        # Merge the many segments a bulk load leaves behind: each query reads every segment.
        # Then merge a little at a time again, as FTS5 does by default, for the writes to come.
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")  # noqa: S608
            cursor.execute(f"INSERT INTO {TABLE} ({TABLE}, rank) VALUES ('automerge', 4)")  # noqa: S608

    def match(self, workspace_id, terms, *, include_notes, before, limit):
        # A prefix term makes FTS5 merge the lists of every word it starts, in full, before the
        # first row comes out (a second at a million tickets for "odeme"*), while whole words are
        # read lazily from the newest end. So whole words first: when they fill the page, that
        # page is shown; otherwise the prefix query (a superset) answers.
        exact = self._match(workspace_id, terms, include_notes, before, limit, prefix=False)
        if len(exact) >= limit:
            return exact
        return self._match(workspace_id, terms, include_notes, before, limit, prefix=True)

    def _match(self, workspace_id, terms, include_notes, before, limit, *, prefix):
        columns = " ".join(COLUMNS if include_notes else _PUBLIC)
        phrases = " AND ".join(_fts_term(term, prefix) for term in terms)
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


# The longest prefix the FTS5 table indexes (migration 0003): a longer typed word is looked up
# by its first PREFIX_MAX letters, one lazy lookup ("siparisim" finds the "sipari…" words).
PREFIX_MAX = 6


def _fts_term(term: str, prefix: bool) -> str:
    # Terms are folded words (letters and digits only), so quoting cannot be broken out of. A
    # one-letter prefix would expand to half the vocabulary: it must match a whole word.
    if not prefix or len(term) < 2:
        return f'"{term}"'
    return f'"{term[:PREFIX_MAX]}"*'


# Words expected among the newest ORDERED_SCAN_ROWS documents are found by walking them in id
# order (at most ORDERED_WINDOW of them); rarer words through the GIN index.
ORDERED_SCAN_ROWS = 3_000
PAGE_ROWS = 26
ORDERED_WINDOW = 20_000

# PostgreSQL weights: notes get D so a search without notes can leave them out (":*ABC").
_WEIGHTS = {"code": "A", "subject": "A", "people": "B", "files": "B", "body": "C", "notes": "D"}


def _append_many(rows, update_sql, select_sql: str) -> set[int]:
    by_column: dict[str, list[tuple[str, int]]] = {}
    for ticket_id, column, text in rows:
        assert column in COLUMNS
        by_column.setdefault(column, []).append((text, ticket_id))
    changed = 0
    with connection.cursor() as cursor:
        for column, params in by_column.items():
            cursor.executemany(update_sql(column), params)
            changed += cursor.rowcount
        if changed == len(rows):
            return set()
        return _without_document(cursor, select_sql, {row[0] for row in rows})


def _without_document(cursor, select_sql: str, ticket_ids: Iterable[int]) -> set[int]:
    """Which of these tickets have no document (rare; e.g. an index built before them)."""
    ids = sorted(ticket_ids)
    cursor.execute(select_sql + "(" + ", ".join(["%s"] * len(ids)) + ")", ids)
    return set(ids) - {row[0] for row in cursor.fetchall()}


def pg_config() -> str:
    """The text search configuration: 'simple' (lower-case words, no stemming) over the folded
    words. PostgreSQL's 'turkish' Snowball stemmer needs the Turkish letters to read vowel
    harmony; on folded text it over-stems ("zeytin" becomes "ze", which then prefix-matches
    "zeynep"). Word-prefix matching covers Turkish suffixes instead ("fatura" finds
    "faturamı"), the same way on both engines."""
    return "simple"


class PostgresEngine(Engine):
    """One ``tsvector`` per ticket with a GIN index; each column carries a weight."""

    def _vector_sql(self) -> str:
        cfg = pg_config()
        return " || ".join(
            f"setweight(to_tsvector('{cfg}', %s), '{_WEIGHTS[column]}')" for column in COLUMNS
        )

    def put(self, docs: Iterable[Document], *, fresh: bool = False) -> None:
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

    def append_many(self, rows: Sequence[tuple[int, str, str]]) -> set[int]:
        cfg = pg_config()
        return _append_many(
            rows,
            lambda column: (
                f"UPDATE {TABLE} SET vector = vector || "  # noqa: S608
                f"setweight(to_tsvector('{cfg}', %s), '{_WEIGHTS[column]}') WHERE ticket_id = %s"
            ),
            f"SELECT ticket_id FROM {TABLE} WHERE ticket_id IN ",  # noqa: S608
        )

    def delete(self, ticket_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE ticket_id = ANY(%s)", [list(ticket_ids)])  # noqa: S608

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLE}")

    def match(self, workspace_id, terms, *, include_notes, before, limit):
        suffix = ":*" if include_notes else ":*ABC"
        query = " & ".join(f"{term}{suffix}" for term in terms)
        top = before if before is not None else self._end()
        found: list[int] = []
        with transaction.atomic(), connection.cursor() as cursor:
            # Judged for one page: a filtered search asks for bigger batches of the same words.
            if self._rows_to_scan(cursor, query, min(limit, PAGE_ROWS)) <= ORDERED_SCAN_ROWS:
                # Common words: walk the newest tickets in id order and stop at ``limit``
                # matches. The GIN index would hand over tens of thousands of matches to sort.
                cursor.execute("SET LOCAL enable_bitmapscan = off")
                cursor.execute("SET LOCAL jit = off")
                cursor.execute(
                    f"SELECT ticket_id FROM {TABLE} WHERE workspace_id = %s "  # noqa: S608
                    f"AND vector @@ to_tsquery('{pg_config()}', %s) "
                    "AND ticket_id < %s AND ticket_id >= %s ORDER BY ticket_id DESC LIMIT %s",
                    [workspace_id, query, top, top - ORDERED_WINDOW, limit],
                )
                found = [row[0] for row in cursor.fetchall()]
                if len(found) >= limit:
                    return found
                top -= ORDERED_WINDOW
                cursor.execute("SET LOCAL enable_bitmapscan = on")
            # Rare words: the GIN index finds their few matches directly (the planner, unsure
            # how rare, might walk the whole table by id instead).
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute(
                f"SELECT ticket_id FROM {TABLE} WHERE workspace_id = %s "  # noqa: S608
                f"AND vector @@ to_tsquery('{pg_config()}', %s) AND ticket_id < %s "
                "ORDER BY ticket_id DESC LIMIT %s",
                [workspace_id, query, top, limit - len(found)],
            )
            return found + [row[0] for row in cursor.fetchall()]

    def _rows_to_scan(self, cursor, query: str, limit: int) -> float:
        """About how many of the newest documents hold ``limit`` matches, from the lexeme
        frequencies ANALYZE keeps for the column (a word missing from them counts as rare)."""
        cursor.execute(f"SELECT to_tsquery('{pg_config()}', %s)::text", [query])
        lexemes = _LEXEME.findall(cursor.fetchone()[0])
        if not lexemes:
            return float("inf")
        frequencies = _common_lexemes()
        share = 1.0
        for lexeme in lexemes:
            share *= min(1.0, sum(f for e, f in frequencies.items() if e.startswith(lexeme)))
        return limit / share if share > 0 else float("inf")

    def after_rebuild(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
        _lexeme_stats.clear()

    def _end(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT max(ticket_id) FROM {TABLE}")  # noqa: S608
            highest = cursor.fetchone()[0]
        return (highest or 0) + 1


_LEXEME = re.compile(r"'((?:[^']|'')+)'")


_LEXEME_STATS_SECONDS = 600
_lexeme_stats: dict[str, object] = {}


def _common_lexemes() -> dict[str, float]:
    """The most common lexemes of the index and the share of documents holding each (kept by
    ANALYZE, which autovacuum repeats as the table grows), read again every ten minutes."""
    now = time.monotonic()
    if _lexeme_stats and now - _lexeme_stats["at"] < _LEXEME_STATS_SECONDS:
        return _lexeme_stats["value"]
    _lexeme_stats.update(at=now, value=_read_common_lexemes())
    return _lexeme_stats["value"]


def _read_common_lexemes() -> dict[str, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = %s AND attname = 'vector'",
            [TABLE],
        )
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return {}
    return dict(zip(row[0], row[1], strict=False))


def engine() -> Engine:
    """The engine for the default database."""
    return PostgresEngine() if connection.vendor == "postgresql" else SqliteEngine()
