"""``destek export --workspace SLUG [--customer EMAIL] [--with-files DIR]`` (DESIGN §10).

The JSON goes to stdout (``> yedek.json``); with ``--with-files`` the attachments' bytes go to
``DIR/attachments.zip``, each JSON attachment naming its ``path`` in the zip.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from destek.accounts.models import Workspace
from destek.mail.export import ZIP_NAME, export_workspace


class Command(BaseCommand):
    help = "Print everything of a workspace (or of one customer) as JSON: backup, KVKK export."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--workspace", required=True, metavar="SLUG")
        parser.add_argument("--customer", metavar="EMAIL", help="only this customer's data")
        parser.add_argument(
            "--with-files", metavar="DIR", help=f"write the attachments to DIR/{ZIP_NAME}"
        )

    def handle(self, *args: object, **options: str | None) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(
                f"no workspace with slug {options['workspace']!r} (see `destek workspace list`)"
            )
        files_dir = Path(options["with_files"]) if options["with_files"] else None
        if files_dir is not None and not files_dir.is_dir():
            raise CommandError(f"--with-files: {files_dir} is not a directory")
        summary = export_workspace(
            workspace,
            lambda text: self.stdout.write(text, ending=""),
            customer_email=options["customer"],
            files_dir=files_dir,
        )
        if files_dir is not None:
            self.stderr.write(
                f"{summary.attachments} attachment(s) written to {files_dir / ZIP_NAME}"
            )
        for name in summary.missing_files:
            self.stderr.write(f"missing from file storage: {name}")
