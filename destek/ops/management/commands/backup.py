"""``destek backup [--output FILE]``: database snapshot, files and keys in one archive."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from destek.ops.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database, attachments and keys into one .tar.gz archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output", help="archive to write (default: destek-YYYYmmdd-HHMM.tar.gz)"
        )

    def handle(self, *args, output: str | None, **options) -> None:
        path = Path(output or f"destek-{timezone.now():%Y%m%d-%H%M}.tar.gz")
        try:
            manifest = create_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{label.split('.')[-1]} {n}" for label, n in manifest.counts.items())
        self.stdout.write(f"backup written to {path} ({len(manifest.files)} files; {counts})")
