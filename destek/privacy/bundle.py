"""Writing zip archives with a SHA-256 manifest (evidence bundles, KVKK exports)."""

from __future__ import annotations

import hashlib
import re
import zipfile
from typing import BinaryIO

_UNSAFE = re.compile(r"[^\w.()+-]+")
MANIFEST = "SHA256SUMS"


def safe_name(name: str, fallback: str = "dosya") -> str:
    """A file name for inside the archive: no directories, no control characters."""
    cleaned = _UNSAFE.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip("._")
    return cleaned[:120] or fallback


class Bundle:
    """A zip being written; every file's SHA-256 goes into ``SHA256SUMS`` at the end, in the
    format ``sha256sum -c`` reads."""

    def __init__(self, target: BinaryIO) -> None:
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        self.sums: list[tuple[str, str]] = []
        self.names: set[str] = set()

    def add(self, name: str, data: bytes) -> str:
        name = self._unique(name)
        self.zip.writestr(name, data)
        self.sums.append((hashlib.sha256(data).hexdigest(), name))
        return name

    def _unique(self, name: str) -> str:
        candidate, number = name, 1
        while candidate in self.names:
            number += 1
            stem, dot, ext = name.rpartition(".")
            candidate = f"{stem}-{number}.{ext}" if dot and stem else f"{name}-{number}"
        self.names.add(candidate)
        return candidate

    def close(self) -> None:
        manifest = "".join(f"{digest}  {name}\n" for digest, name in self.sums)
        self.zip.writestr(MANIFEST, manifest.encode())
        self.zip.close()
