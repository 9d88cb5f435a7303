"""``destek demo``: the demo workspace with realistic Turkish sample data."""

from __future__ import annotations

from argparse import ArgumentParser

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from destek.accounts.models import Workspace
from destek.tickets.demo import DEFAULT_SEED, DEFAULT_TICKETS, build_demo
from destek.tickets.demo_content import PASSWORD, STAFF
from destek.tickets.models import Ticket


class Command(BaseCommand):
    help = "Create the demo workspace: an online shop's desk with two months of tickets."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when any workspace exists (first run of `make run`)",
        )
        parser.add_argument("--slug", default="demo")
        parser.add_argument("--tickets", type=int, default=DEFAULT_TICKETS)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def handle(self, *args: object, **options: object) -> None:
        if options["if_empty"] and Workspace.objects.exists():
            self.stdout.write("Workspaces exist already; no demo data added.")
            return
        slug = options["slug"]
        if Workspace.objects.filter(slug=slug).exists():
            raise CommandError(f"a workspace with slug {slug!r} exists; choose another --slug")
        if options["tickets"] < 0:
            raise CommandError("--tickets must be 0 or more")
        workspace = build_demo(slug=slug, tickets=options["tickets"], seed=options["seed"])
        url = settings.BASE_URL + reverse("login")
        # Follow-up tickets (customers writing again after a close) come on top of --tickets.
        count = Ticket.objects.for_workspace(workspace).count()
        self.stdout.write(
            f"Demo workspace {workspace.name!r} ({workspace.slug}) is ready with {count} tickets. "
            f"Sign in at {url} with password {PASSWORD!r}:"
        )
        for email, name, role in STAFF:
            self.stdout.write(f"  {role:<6} {email}  ({name})")
