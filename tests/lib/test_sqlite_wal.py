import os
import sqlite3
import time

import pytest
from django.db import connection, transaction

from destek.lib import sqlite_wal


def _database_with_unwritten_pages(path) -> int:
    """A WAL database whose 2 MB of rows are all still in the WAL; returns the main file's size."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA wal_autocheckpoint = 0")
    db.execute("CREATE TABLE t (x BLOB)")
    db.execute("BEGIN")
    db.executemany("INSERT INTO t VALUES (?)", [(os.urandom(1000),) for _ in range(2000)])
    db.execute("COMMIT")
    assert os.path.getsize(f"{path}-wal") > 2_000_000
    size = os.path.getsize(path)
    assert size < 100_000  # nothing written back yet
    return size


def test_the_thread_writes_the_wal_back_into_the_database(tmp_path):
    path = str(tmp_path / "a.sqlite3")
    db = sqlite3.connect(path, isolation_level=None)  # keeps the WAL from a closing checkpoint
    before = _database_with_unwritten_pages(path)
    thread = sqlite_wal.Checkpointer(path, interval=0.01)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while os.path.getsize(path) < before + 2_000_000:
            assert time.monotonic() < deadline, "no checkpoint in 30 s"
            time.sleep(0.01)
    finally:
        thread.stop()
    assert thread.checkpoints >= 1
    assert db.execute("SELECT count(*) FROM t").fetchone() == (2000,)


def test_a_missing_or_replaced_file_is_opened_again(tmp_path):
    path = str(tmp_path / "b.sqlite3")
    thread = sqlite_wal.Checkpointer(path)  # called by hand here, not started
    thread.checkpoint()  # no file yet: nothing to do, nothing raised
    assert thread.checkpoints == 0
    assert not os.path.exists(path)  # and none made

    keep = sqlite3.connect(path, isolation_level=None)
    before = _database_with_unwritten_pages(path)
    thread.checkpoint()
    assert os.path.getsize(path) > before + 2_000_000

    keep.close()
    for name in (path, f"{path}-wal", f"{path}-shm"):
        if os.path.exists(name):
            os.remove(name)
    keep = sqlite3.connect(path, isolation_level=None)  # a new database under the same name
    before = _database_with_unwritten_pages(path)
    thread.checkpoint()
    assert os.path.getsize(path) > before + 2_000_000
    assert thread.checkpoints == 2
    thread._close()
    keep.close()


@pytest.mark.django_db
def test_django_connections_leave_checkpoints_to_the_thread():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's WAL only")
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)
        assert cursor.execute("PRAGMA journal_size_limit").fetchone() == (
            sqlite_wal.WAL_SIZE_LIMIT,
        )
    path = os.path.abspath(str(connection.settings_dict["NAME"]))
    assert sqlite_wal.checkpointer(path).is_alive()
    assert sqlite_wal._running[(os.getpid(), path)] is sqlite_wal.checkpointer(path)


def test_a_file_removed_after_its_stat_is_not_made_again(tmp_path, monkeypatch):
    path = str(tmp_path / "c.sqlite3")
    sqlite3.connect(path).close()
    thread = sqlite_wal.Checkpointer(path)
    stat = os.stat

    def stat_then_remove(name, *args, **kwargs):
        result = stat(name, *args, **kwargs)
        if name == path:
            os.remove(path)  # as a test database is dropped between the two
        return result

    monkeypatch.setattr(sqlite_wal.os, "stat", stat_then_remove)
    thread.checkpoint()
    assert not os.path.exists(path)
    assert thread.checkpoints == 0


def _temporary_files() -> list[str]:
    # SQLite names its temporary files etilqs_* and unlinks them at once; open ones stay in
    # the process's descriptor table.
    links = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            links.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            continue
    return [link for link in links if "etilqs_" in link]


@pytest.mark.django_db(transaction=True)
def test_a_savepoints_journal_stays_in_memory():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's temporary files only")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE journal_probe (n INTEGER PRIMARY KEY, text TEXT)")
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO journal_probe (n, text) VALUES (%s, %s)",
                [(n, "x" * 1000) for n in range(1000)],
            )
        # A savepoint that changes about a megabyte of pages: SQLite keeps their old contents
        # in a sub-journal, which spills to a temporary file past 64 KiB unless it is kept in
        # memory.
        with transaction.atomic(), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE journal_probe SET text = 'y' || text")
            assert _temporary_files() == []
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE journal_probe")
