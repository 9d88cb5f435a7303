"""One archive holding a whole installation: a consistent snapshot of the database (SQLite's
online backup API while web and worker keep writing, or ``pg_dump``), the attachments and other
files of the data directory, and the generated keys (without ``fernet_key`` the stored mailbox
passwords cannot be read back).

The archive is a gzipped tar with ``manifest.json`` first: format, database engine, row counts
and the SHA-256 of every member, checked again on restore.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = 1
KEY_FILES = ("secret_key", "fernet_key")
# Directories that travel with a backup: attachments and kept system mail.
DATA_DIRS = ("files", "system-mail")


def _folder(name: str) -> Path:
    return Path(settings.MEDIA_ROOT if name == "files" else settings.SYSTEM_MAIL_DIR)


SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.pgdump"


class BackupError(RuntimeError):
    """Something the operator must fix; the message says what."""


@dataclass
class Manifest:
    engine: str
    counts: dict[str, int]
    files: dict[str, str]  # member name → SHA-256
    created_at: str
    format: int = FORMAT

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, indent=1, sort_keys=True).encode()


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def row_counts() -> dict[str, int]:
    """Rows per main table: printed after a backup and compared after a restore."""
    from destek.accounts.models import User, Workspace
    from destek.mail.models import InboundEmail, OutboundEmail
    from destek.tickets.models import Attachment, Customer, Message, Ticket

    models = [Workspace, User, Customer, Ticket, Message, Attachment, InboundEmail, OutboundEmail]
    return {model._meta.label: model.objects.count() for model in models}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args, env


def _snapshot_database(folder: Path) -> Path:
    if _engine() == "sqlite":
        target = folder / SQLITE_NAME
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # The online backup copies a consistent state while other connections write.
            connection.connection.backup(destination)
        finally:
            destination.close()
        return target
    target = folder / PG_NAME
    args, env = _pg_env()
    name = connection.settings_dict["NAME"]
    result = subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args, name],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return target


def create_backup(output: Path) -> Manifest:
    """Write the archive to ``output`` (via a temporary name: a half-written file never
    looks like a backup)."""
    data = Path(settings.DATA_DIR)
    with tempfile.TemporaryDirectory(prefix="destek-backup-") as scratch:
        database = _snapshot_database(Path(scratch))
        members: list[tuple[str, Path]] = [(database.name, database)]
        for name in KEY_FILES:
            if (data / name).is_file():
                members.append((f"keys/{name}", data / name))
        for folder in DATA_DIRS:
            root = _folder(folder)
            for path in sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []:
                members.append((f"{folder}/{path.relative_to(root).as_posix()}", path))
        manifest = Manifest(
            engine=_engine(),
            counts=row_counts(),
            files={name: _sha256(path) for name, path in members},
            created_at=timezone.now().isoformat(),
        )
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            info = tarfile.TarInfo("manifest.json")
            payload = manifest.to_json()
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
            for name, path in members:
                archive.add(path, arcname=name, recursive=False)
        os.chmod(partial, 0o600)  # it holds the keys
        partial.replace(output)
    return manifest


def read_manifest(archive: tarfile.TarFile) -> Manifest:
    member = archive.extractfile("manifest.json")
    if member is None:
        raise BackupError("not a Destek backup: manifest.json is missing")
    data = json.loads(member.read())
    if data.get("format") != FORMAT:
        raise BackupError(f"backup format {data.get('format')} is not supported")
    return Manifest(**data)


def _database_is_empty() -> bool:
    from destek.accounts.models import Workspace

    try:
        return not Workspace.objects.exists()
    except Exception:  # no tables yet: a brand-new database
        return True


def restore_backup(source: Path, *, force: bool = False) -> Manifest:
    """Put the archive's database, files and keys in place of the configured ones."""
    with tarfile.open(source, "r:gz") as archive:
        manifest = read_manifest(archive)
        if manifest.engine != _engine():
            raise BackupError(
                f"the backup is of a {manifest.engine} database, this installation uses {_engine()}"
            )
        if not force and not _database_is_empty():
            raise BackupError("the database already holds workspaces: restore with --force")
        with tempfile.TemporaryDirectory(prefix="destek-restore-") as scratch:
            archive.extractall(scratch, filter="data")
            root = Path(scratch)
            for name, digest in manifest.files.items():
                if _sha256(root / name) != digest:
                    raise BackupError(f"{name} does not match its checksum: the archive is damaged")
            _restore_database(root, manifest.engine)
            _restore_files(root)
    return manifest


def _restore_database(root: Path, engine: str) -> None:
    if engine == "sqlite":
        target = Path(connection.settings_dict["NAME"])
        connection.close()
        source = sqlite3.connect(root / SQLITE_NAME)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            source.close()
            destination.close()
        return
    args, env = _pg_env()
    connection.close()
    result = subprocess.run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            connection.settings_dict["NAME"],
            *args,
            str(root / PG_NAME),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _restore_files(root: Path) -> None:
    data = Path(settings.DATA_DIR)
    for name in KEY_FILES:
        if (root / "keys" / name).is_file():
            shutil.copyfile(root / "keys" / name, data / name)
            os.chmod(data / name, 0o600)
    for folder in DATA_DIRS:
        if not (root / folder).is_dir():
            continue
        shutil.copytree(root / folder, _folder(folder), dirs_exist_ok=True)
