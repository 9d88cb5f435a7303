"""Recompute the SLA due times of every open ticket (after an upgrade, or to repair)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from destek.accounts.models import Workspace
from destek.sla.services import recompute_workspace


class Command(BaseCommand):
    help = "Recompute the SLA due times of open tickets, in one workspace or all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workspace", help="the workspace's slug (default: every workspace)")

    def handle(self, *args: object, workspace: str | None = None, **options: object) -> None:
        workspaces = Workspace.objects.order_by("pk")
        if workspace:
            workspaces = workspaces.filter(slug=workspace)
        for each in workspaces:
            count = recompute_workspace(each)
            self.stdout.write(f"{each.slug}: {count}")
