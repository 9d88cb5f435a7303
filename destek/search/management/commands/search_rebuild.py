"""``destek manage search_rebuild [--workspace SLUG]``: index every ticket again from the
database (after a restore, an import that bypassed the actions, or an engine change)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from destek.accounts.models import Workspace
from destek.search.index import rebuild

PROGRESS_EVERY = 50_000


class Command(BaseCommand):
    help = "Rebuild the full-text search index from the tickets in the database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--workspace", help="only this workspace (slug)")

    def handle(self, *args, workspace: str | None = None, **options) -> None:
        target = None
        if workspace:
            target = Workspace.objects.filter(slug=workspace).first()
            if target is None:
                raise CommandError(f"no workspace {workspace!r}")

        shown = [0]

        def progress(done: int) -> None:
            if done // PROGRESS_EVERY > shown[0]:
                shown[0] = done // PROGRESS_EVERY
                self.stdout.write(f"{done} tickets indexed")

        count = rebuild(target, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"search index rebuilt: {count} tickets"))
