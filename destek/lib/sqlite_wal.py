"""SQLite's WAL checkpoints, done by a thread of their own instead of inside someone's commit.

In WAL mode a commit appends pages to the ``-wal`` file; a *checkpoint* copies them back into
the database file and fsyncs both. By default the connection whose commit takes the WAL past
1,000 pages does it there and then: a page view or an ingest batch waits for two fsyncs and the
copying (about a tenth of the ingest rate, bench/README.md). Here every SQLite connection has
automatic checkpoints off, and each process that opens one runs a thread that asks for a
PASSIVE checkpoint (it neither waits for nor blocks readers and writers) every half second.
Quiet desks gain too: the page threshold could leave a commit without an fsync for hours, this
thread makes it within about a second. ``journal_size_limit`` truncates a WAL that a burst
made large once it has been checkpointed.
"""

from __future__ import annotations

import atexit
import logging
import os
import sqlite3
import threading
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

INTERVAL_SECONDS = 0.5
# The WAL is cut back to this size after a checkpoint (SQLite keeps the file to reuse it).
WAL_SIZE_LIMIT = 64 * 1024 * 1024

_lock = threading.Lock()
_running: dict[tuple[int, str], Checkpointer] = {}


class Checkpointer(threading.Thread):
    """Checkpoints the database at ``path`` every ``interval`` seconds through its own
    connection, until :meth:`stop`. A database file that is missing or was replaced (tests
    create and drop theirs) is opened again; errors are logged, never raised."""

    def __init__(self, path: str, *, interval: float = INTERVAL_SECONDS) -> None:
        super().__init__(name=f"sqlite-checkpoint {os.path.basename(path)}", daemon=True)
        self.path = os.path.abspath(path)
        self.interval = interval
        self.checkpoints = 0  # completed, for tests and curiosity
        self._stopping = threading.Event()
        self._db: sqlite3.Connection | None = None
        self._inode: int | None = None

    def stop(self) -> None:
        self._stopping.set()
        self.join()

    def run(self) -> None:
        try:
            while not self._stopping.wait(self.interval):
                self.checkpoint()
        finally:
            self._close()

    def checkpoint(self) -> None:
        try:
            inode = os.stat(self.path).st_ino
        except OSError:
            self._close()  # dropped: nothing to write back
            return
        try:
            if self._db is None or inode != self._inode:
                self._close()
                # mode=rw: a file removed since the stat above is not created again, empty.
                self._db = sqlite3.connect(
                    f"{Path(self.path).as_uri()}?mode=rw", uri=True, timeout=0, isolation_level=None
                )
                self._inode = inode
            self._db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.checkpoints += 1
        except sqlite3.Error as exc:
            # Busy (another process's checkpoint) or a file being replaced: next time.
            logger.debug("checkpoint of %s: %s", self.path, exc)
            self._close()

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def checkpointer(path: str) -> Checkpointer:
    """This process's checkpointer of ``path``, started on first use (a forked child starts
    its own: threads do not survive a fork)."""
    key = (os.getpid(), os.path.abspath(path))
    with _lock:
        running = _running.get(key)
        if running is None or not running.is_alive():
            running = _running[key] = Checkpointer(key[1])
            running.start()
        return running


def stop_all() -> None:
    """Stop this process's checkpointers (tests)."""
    with _lock:
        stopping = [thread for (pid, _), thread in _running.items() if pid == os.getpid()]
        _running.clear()
    for thread in stopping:
        thread.stop()


def _forget_after_fork() -> None:
    # The parent's threads and lock state do not carry over into a forked child.
    global _lock
    _lock = threading.Lock()
    _running.clear()


os.register_at_fork(after_in_child=_forget_after_fork)
atexit.register(stop_all)  # each finishes its checkpoint before the interpreter goes


def _on_disk(path: str) -> bool:
    return bool(path) and path != ":memory:" and not path.startswith("file::memory:")


def checkpoint_elsewhere(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    """``connection_created`` receiver: a SQLite connection to a file leaves checkpoints to this
    process's checkpointer of that file."""
    if connection.vendor != "sqlite":
        return
    path = str(connection.settings_dict["NAME"])
    if not _on_disk(path):
        return
    checkpointer(path)  # running before the pages start to pile up
    raw = connection.connection  # outside any transaction: the connection was just opened
    raw.execute("PRAGMA wal_autocheckpoint = 0")
    raw.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
