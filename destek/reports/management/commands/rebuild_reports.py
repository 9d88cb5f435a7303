"""``destek rebuild_reports [--workspace SLUG]``: recompute the report tables from the tickets
and messages (after an import, a calendar edit, or to check them)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from destek.accounts.models import Workspace
from destek.reports.upkeep import rebuild


class Command(BaseCommand):
    help = "Recompute the report tables (durations per ticket, replies per agent per day)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workspace", help="only this workspace (its slug)")

    def handle(self, *args: object, workspace: str | None = None, **options: object) -> None:
        workspaces = Workspace.objects.order_by("pk")
        if workspace:
            workspaces = workspaces.filter(slug=workspace)
        for each in workspaces:
            figures, days = rebuild(each)
            self.stdout.write(f"{each.slug}: {figures} tickets with figures, {days} reply days")
