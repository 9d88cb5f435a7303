"""Pages of a list too long to count: "previous / page N / next" without ``COUNT(*)``.

Django's ``Paginator`` counts the whole list to show "page 3 of 19,930"; over a desk's million
finished tickets that count alone costs more than the page may (DESIGN §9). An uncounted page
reads one row more than it shows, which is enough to know whether a next page exists.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any


class UncountedPage(Sequence[Any]):
    """One page of ``items`` (anything sliceable, e.g. a QuerySet); ``paginator`` is None so a
    template can tell it from a counted ``Page``."""

    paginator = None

    def __init__(self, items: Any, number: object, per_page: int) -> None:
        self.number = _page_number(number)
        start = (self.number - 1) * per_page
        rows = list(items[start : start + per_page + 1])
        self.object_list = rows[:per_page]
        self._has_next = len(rows) > per_page

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index: Any) -> Any:
        return self.object_list[index]

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _page_number(value: object) -> int:
    """A page number from a query string: anything that isn't a positive number is page 1."""
    try:
        number = int(str(value))
    except ValueError:
        return 1
    return max(number, 1)
