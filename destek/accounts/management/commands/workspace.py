"""``destek workspace list`` and ``destek workspace activate SLUG``: operator chores on tenants."""

from __future__ import annotations

from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q
from django.utils import timezone

from destek.accounts.models import Workspace
from destek.accounts.services import activate_workspace


def workspace_state(workspace: Workspace) -> str:
    """One word an operator can scan: active, trial (with its end) or read-only."""
    if workspace.activated_at is not None:
        return "active"
    if workspace.is_read_only():
        return "read-only"
    return f"trial until {timezone.localtime(workspace.trial_ends_at):%Y-%m-%d}"


class Command(BaseCommand):
    help = "List workspaces, or activate one so its trial never turns it read-only."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("list", help="every workspace with its state and size")
        activate = actions.add_parser("activate", help="end the trial for good")
        activate.add_argument("slug")

    def handle(self, *args: object, action: str, **options: object) -> None:
        handlers = {"list": self.list_workspaces, "activate": self.activate}
        handlers[action](**options)

    def list_workspaces(self, **options: object) -> None:
        workspaces = Workspace.objects.annotate(
            members=Count("memberships", filter=Q(memberships__is_active=True))
        ).order_by("slug")
        if not workspaces:
            self.stdout.write("No workspaces yet: create one with `destek createworkspace`.")
            return
        for workspace in workspaces:
            self.stdout.write(
                f"{workspace.slug:<20} {workspace.prefix:<8} {workspace_state(workspace):<22} "
                f"{workspace.members:>3} members  {workspace.name}"
            )

    def activate(self, *, slug: str, **options: object) -> None:
        workspace = Workspace.objects.filter(slug=slug).first()
        if workspace is None:
            raise CommandError(f"no workspace with slug {slug!r} (see `destek workspace list`)")
        if workspace.activated_at is not None:
            self.stdout.write(f"Workspace {slug} was already active.")
            return
        activate_workspace(workspace=workspace)
        self.stdout.write(f"Workspace {slug} is active: its trial no longer limits it.")
