"""``status__in_literal=…``: an IN list written into the SQL instead of bound as parameters.

SQLite uses a partial index only when the query repeats the index's condition with the same
literal values; ``status IN (?, ?, ?)`` with bound parameters never matches ``WHERE status IN
('new', 'open', 'pending')`` and the planner scans the table instead (a million rows at DESIGN
§9's scale). Only short lowercase words (our own status values) are accepted, so nothing a
user typed can reach the SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Lookup

_WORD = re.compile(r"[a-z_]{1,20}")


class InLiteral(Lookup):
    lookup_name = "in_literal"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        values = sorted(str(value) for value in self.rhs)
        if not values or not all(_WORD.fullmatch(value) for value in values):
            raise ValueError(f"in_literal takes short lowercase words, not {self.rhs!r}")
        return values

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({literal_list(self.rhs)})", list(params)


def literal_list(values: Iterable[str]) -> str:
    """``'closed', 'resolved'``: the values as SQL string literals, sorted — the same text
    Django writes into a partial index's condition for ``Q(status__in=sorted(values))``."""
    return ", ".join(f"'{value}'" for value in sorted(values))
