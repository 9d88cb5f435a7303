"""Keeping the index current: whole documents for a few tickets, or all of them."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from destek.accounts.models import Workspace
from destek.search.documents import build_documents
from destek.search.engines import engine
from destek.tickets.models import Ticket

REBUILD_CHUNK = 1000
# Chunks written per transaction by a rebuild: FTS5 writes one segment per transaction, so
# bigger transactions leave fewer segments to merge (each holds SQLite's write lock ~1 s).
REBUILD_CHUNKS_PER_COMMIT = 5


def reindex(ticket_ids: Iterable[int]) -> None:
    """Write these tickets' documents again from what the database holds now."""
    ids = list(ticket_ids)
    for start in range(0, len(ids), REBUILD_CHUNK):
        engine().put(build_documents(ids[start : start + REBUILD_CHUNK]))


def rebuild(
    workspace: Workspace | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Index every ticket (of one workspace, or all) from scratch; returns how many."""
    index = engine()
    tickets = Ticket.objects.order_by("pk")
    if workspace is None:
        index.clear()
    else:
        tickets = tickets.filter(workspace=workspace)
        index.delete(list(tickets.values_list("pk", flat=True)))
    index.before_rebuild()
    done, last = 0, 0
    while True:
        with transaction.atomic():  # one commit per few chunks, not per row (SQLite)
            for _chunk in range(REBUILD_CHUNKS_PER_COMMIT):
                ids = list(tickets.filter(pk__gt=last).values_list("pk", flat=True)[:REBUILD_CHUNK])
                if not ids:
                    break
                index.put(build_documents(ids), fresh=True)
                done, last = done + len(ids), ids[-1]
        if progress is not None:
            progress(done)
        if not ids:
            index.after_rebuild()
            return done
