"""destek/ops/backup.py: back up a busy workspace, restore it into an empty data directory (a
separate process, as an operator would), and compare everything."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from destek.mail.export import export_workspace
from destek.mail.ingest import receive_and_process
from destek.mail.models import Mailbox
from destek.ops.backup import restore_backup
from destek.tickets import actions
from destek.tickets.models import Attachment
from tests.mail.inbound import build_mail, make_mailbox

pytestmark = pytest.mark.django_db(transaction=True)
REPO = Path(__file__).resolve().parents[2]
PRINT_PASSWORD = (
    "from destek.mail.models import Mailbox; print(Mailbox.objects.get().smtp_password)"
)


@pytest.fixture
def busy(workspace, agent):
    mailbox = make_mailbox(workspace, smtp_host="smtp.anadolu.test", smtp_user="destek")
    mailbox.smtp_password = "gizli-smtp-parolası"
    mailbox.save()
    for number in range(12):
        raw = build_mail(
            subject=f"Sipariş {number} — şikâyet",
            sender=f"Müşteri {number} <musteri{number}@musteri.test>",
            message_id=f"<m{number}@musteri.test>",
            attachments=[(f"ek-{number}.pdf", "application/pdf", b"%PDF " + bytes([number]) * 50)],
        )
        ticket = receive_and_process(mailbox, raw, source="pipe").ticket
        actions.reply(ticket=ticket, actor=agent, text=f"Yanıt {number}: bakıyoruz.")
        actions.add_note(ticket=ticket, actor=agent, text=f"Not {number}")
    return workspace


def _export(workspace) -> dict:
    out = io.StringIO()
    export_workspace(workspace, out.write)
    return json.loads(out.getvalue())


def _run(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DESTEK_", "DATABASE_"))}
    clean |= {"DESTEK_DATA_DIR": str(data), **env}
    return subprocess.run(
        [sys.executable, "-m", "destek", *args],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _restore_target(tmp_path: Path) -> tuple[Path, dict[str, str], str | None]:
    """An empty data directory, and on PostgreSQL an empty database of its own."""
    data = tmp_path / "restored"
    data.mkdir()
    if connection.vendor != "postgresql":
        return data, {}, None
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    return data, {"DATABASE_URL": url}, name


def _drop(name: str | None) -> None:
    if name:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_and_restore_round_trip(busy, tmp_path):
    archive = tmp_path / "yedek.tar.gz"
    out = io.StringIO()

    call_command("backup", output=str(archive), stdout=out)

    assert out.getvalue().startswith(f"backup written to {archive} (")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    expected = _export(busy)
    hashes = sorted(Attachment.objects.values_list("sha256", flat=True))
    data, env, database = _restore_target(tmp_path)
    try:
        restored = _run(data, "restore", str(archive), **env)
        assert restored.returncode == 0, restored.stderr
        assert "rows as backed up" in restored.stdout
        exported = _run(data, "export", "--workspace", "anadolu", **env)
        assert exported.returncode == 0, exported.stderr
        assert json.loads(exported.stdout) == expected
        files = sorted(
            hashlib.sha256(p.read_bytes()).hexdigest()
            for p in (data / "files").rglob("*")
            if p.is_file()
        )
        assert files == hashes and len(files) == 12
        for key in ("secret_key", "fernet_key"):
            assert (data / key).read_text() == (Path(settings.DATA_DIR) / key).read_text()
        password = _run(data, "manage", "shell", "-c", PRINT_PASSWORD, **env)
        assert password.stdout.strip().splitlines()[-1] == "gizli-smtp-parolası", password.stderr
    finally:
        _drop(database)


def test_the_archive_lists_every_member_with_its_checksum(busy, tmp_path):
    archive = tmp_path / "yedek.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert names[0] == "manifest.json"
    assert sorted(manifest["files"]) == sorted(names[1:])
    assert manifest["counts"]["tickets.Ticket"] == 12
    assert manifest["engine"] == ("postgresql" if connection.vendor == "postgresql" else "sqlite")


def test_restore_refuses_a_database_that_holds_data(busy, tmp_path):
    archive = tmp_path / "yedek.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    with pytest.raises(CommandError, match="already holds workspaces: restore with --force"):
        call_command("restore", str(archive))


def test_a_damaged_archive_is_refused(busy, tmp_path):
    archive = tmp_path / "yedek.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    damaged = tmp_path / "bozuk.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            payload = source.extractfile(member).read()
            if member.name.startswith("files/"):
                payload = b"degisti" + payload
            member.size = len(payload)
            target.addfile(member, io.BytesIO(payload))

    with pytest.raises(Exception, match="does not match its checksum"):
        restore_backup(damaged, force=True)
    assert Mailbox.objects.count() == 1
