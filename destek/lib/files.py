"""Writing a new file's bytes to the default storage, for the ingest batch's attachments.

``FieldFile.save`` goes through the storage's whole chain for every file: a check whether the
name exists, ``makedirs``, a file lock, chunked copying from a ``File`` object. For the local
file system a name that is free, in a folder that exists, is written here with one exclusive
create; a name already taken (the same bytes stored before: names are content-addressed), a
folder not made yet and every other storage take the storage's own ``save``, which finds a
free name, so no two attachments ever share a file (erasing one must not remove another's
bytes).
"""

from __future__ import annotations

import contextlib
import os

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import models


def save_file(row: models.Model, field_name: str, filename: str, data: bytes) -> None:
    """``getattr(row, field_name).save(filename, ContentFile(data), save=False)``, faster on the
    local file system; the row's field holds the stored name afterwards."""
    field = row._meta.get_field(field_name)
    storage = field.storage
    name = field.generate_filename(row, filename)
    if not _write_new(storage, name, data):
        name = storage.save(name, ContentFile(data), max_length=field.max_length)
    setattr(row, field.attname, name)


def _write_new(storage: object, name: str, data: bytes) -> bool:
    """Write ``data`` under a name nobody holds; False when the name is taken, its folder is
    missing or the storage is not (exactly) the local file system."""
    # Exactly the local file system (a subclass may store elsewhere); ``__class__`` sees
    # through the lazy ``default_storage``.
    if storage.__class__ is not FileSystemStorage:
        return False
    path = storage.path(name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags, 0o666)
    except (FileExistsError, FileNotFoundError):
        # A taken name, or a folder not made yet: the storage's own save makes it with its
        # permissions (once per folder: the next files of the folder take this path).
        return False
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        if storage.file_permissions_mode is not None:
            os.chmod(path, storage.file_permissions_mode)
    except BaseException:
        # No half-written file left under the name (a full disk): the caller's error stands.
        with contextlib.suppress(OSError):
            os.remove(path)
        raise
    return True
