"""``destek restore FILE [--force]``: put a backup in place of this installation's data."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from destek.ops.backup import BackupError, restore_backup, row_counts


class Command(BaseCommand):
    help = "Restore a backup made by 'destek backup' (database, attachments, keys)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds data"
        )

    def handle(self, *args, archive: str, force: bool, **options) -> None:
        try:
            manifest = restore_backup(Path(archive), force=force)
        except (BackupError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        restored = row_counts()
        if restored != manifest.counts:
            raise CommandError(
                f"restored rows {restored} differ from the backup's {manifest.counts}"
            )
        self.stdout.write(f"restored {archive}: {len(manifest.files)} files, rows as backed up")
