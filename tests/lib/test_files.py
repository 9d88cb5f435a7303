"""destek.lib.files stores an attachment's bytes as FieldFile.save would, on real files."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage, default_storage

from destek.lib import files
from destek.lib.files import save_file
from destek.tickets.models import Attachment

pytestmark = pytest.mark.django_db


def _attachment(workspace, data: bytes) -> Attachment:
    return Attachment(
        workspace_id=workspace.pk,
        filename="fatura.pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def test_the_bytes_land_under_the_content_addressed_name(workspace, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = b"%PDF-1.4 fatura"
    row = _attachment(workspace, data)

    save_file(row, "file", row.filename, data)

    digest = row.sha256
    assert row.file.name == f"attachments/{workspace.pk}/{digest[:2]}/{digest}"
    assert Path(tmp_path, row.file.name).read_bytes() == data
    assert row.file._committed  # nothing left for the insert's pre_save to write


def test_the_same_bytes_twice_get_two_files(workspace, settings, tmp_path):
    # Erasing one attachment removes its file: two rows must never share one.
    settings.MEDIA_ROOT = tmp_path
    data = b"ekran goruntusu"
    first, second = _attachment(workspace, data), _attachment(workspace, data)

    save_file(first, "file", first.filename, data)
    save_file(second, "file", second.filename, data)

    assert first.file.name != second.file.name
    default_storage.delete(first.file.name)
    assert Path(tmp_path, second.file.name).read_bytes() == data


def test_another_storage_takes_its_own_save(workspace, settings, tmp_path, monkeypatch):
    class Elsewhere(FileSystemStorage):
        saved: list[str] = []

        def _save(self, name, content):
            self.saved.append(name)
            return super()._save(name, content)

    field = Attachment._meta.get_field("file")
    monkeypatch.setattr(field, "storage", Elsewhere(location=tmp_path))
    data = b"baska depo"
    row = _attachment(workspace, data)

    save_file(row, "file", row.filename, data)

    assert Elsewhere.saved == [row.file.name]
    assert Path(tmp_path, row.file.name).read_bytes() == data


def test_a_failed_write_leaves_no_file(workspace, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    data = b"yarim kalan"
    row = _attachment(workspace, data)
    # Its folder exists, as for every file after the first of a folder: the fast path writes.
    Path(tmp_path, "attachments", str(workspace.pk), row.sha256[:2]).mkdir(parents=True)

    def full_disk(descriptor, mode):
        class Handle:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                files.os.close(descriptor)

            def write(self, data):
                raise OSError(28, "No space left on device")

        return Handle()

    monkeypatch.setattr(files.os, "fdopen", full_disk)
    with pytest.raises(OSError, match="No space left"):
        save_file(row, "file", row.filename, data)

    assert not any(path.is_file() for path in tmp_path.rglob("*"))
