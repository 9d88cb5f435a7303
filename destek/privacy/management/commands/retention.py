"""``destek retention --workspace SLUG --months N [--apply]``: remove the contents of tickets
closed more than N months ago. Without ``--apply`` it only reports (dry run)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from destek.accounts.models import Workspace
from destek.privacy.retention import purge


class Command(BaseCommand):
    help = "Purge the contents of long-closed tickets (dry run unless --apply)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--workspace", required=True)
        parser.add_argument("--months", type=int, required=True)
        parser.add_argument("--apply", action="store_true", help="really remove (irreversible)")

    def handle(self, *args, workspace: str, months: int, apply: bool, **options) -> None:
        space = Workspace.objects.filter(slug=workspace).first()
        if space is None:
            raise CommandError(f"no workspace {workspace!r}")
        if months < 1:
            raise CommandError("--months must be at least 1")
        report = purge(space, months=months, dry_run=not apply)
        verb = "purged" if apply else "would purge"
        self.stdout.write(
            f"{verb} {len(report.codes)} tickets closed before {report.cutoff:%Y-%m-%d}"
            + (f": {', '.join(report.codes)}" if report.codes else "")
        )
