"""A workspace's settings that every page shows — agents, categories, teams, SLA policies and
calendar — remembered per process, keyed by the workspace's ``settings_version``.

The queue and the ticket page each read seven small tables for their menus and SLA cells: about
a tenth of their time (DESIGN §9). Database triggers (``settings_triggers``) change the version
in the same transaction as any write to those tables, however it is made (``save``, ``update``,
``bulk_create``, a cascade), so a request that loaded its workspace row sees settings at least
as new as that row: another process's change is picked up by the next request. The version
starts random, so a workspace created again under a reused id (SQLite after a rollback) never
meets an older one's entries.

Only for pages: a long-lived worker's workspace object carries an old version, so jobs read the
tables themselves. The values are shared between requests: callers must not change them.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from destek.accounts.models import Workspace

T = TypeVar("T")

# Workspaces × kinds of setting kept per process: a few hundred small lists at most.
MAX_ENTRIES = 2048

_entries: OrderedDict[tuple, object] = OrderedDict()
_lock = threading.Lock()


def new_settings_version() -> int:
    """The first version of a new workspace: random, below 2**52 (exact in any JSON)."""
    return secrets.randbits(52)


def remembered(workspace: Workspace, kind: str, load: Callable[[], T]) -> T:
    """``load()``'s value for ``workspace`` as of its loaded ``settings_version``."""
    # The time zone is in the key: the business calendar is read in it.
    key = (workspace.pk, workspace.settings_version, workspace.time_zone, kind)
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]  # type: ignore[return-value]
    value = load()
    with _lock:
        _entries[key] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def forget_all() -> None:
    """Drop every entry (tests that compare with fresh reads)."""
    with _lock:
        _entries.clear()
