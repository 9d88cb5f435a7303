"""``destek customer export|erase --workspace SLUG --email ADDR``: a KVKK request from the shell."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from destek.accounts.models import Workspace
from destek.privacy.erase import erase_customer
from destek.privacy.export import export_customer
from destek.tickets.models import Customer


class Command(BaseCommand):
    help = "Export (zip) or erase everything Destek holds about one customer."

    def add_arguments(self, parser) -> None:
        parser.add_argument("verb", choices=["export", "erase"])
        parser.add_argument("--workspace", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--output", help="export: the zip to write (default: stdout)")
        parser.add_argument(
            "--yes", action="store_true", help="erase: do it (there is no way back)"
        )

    def handle(self, *args, verb: str, workspace: str, email: str, **options) -> None:
        space = Workspace.objects.filter(slug=workspace).first()
        if space is None:
            raise CommandError(f"no workspace {workspace!r}")
        customer = Customer.objects.filter(workspace=space, email__iexact=email.strip()).first()
        if customer is None:
            raise CommandError(f"no customer with that address in {workspace!r}")
        if verb == "export":
            self._export(customer, options.get("output"))
        else:
            self._erase(customer, options["yes"])

    def _export(self, customer: Customer, output: str | None) -> None:
        if output:
            with Path(output).open("wb") as target:
                result = export_customer(customer, target)
        else:
            result = export_customer(customer, sys.stdout.buffer)
        self.stderr.write(
            f"exported {result.tickets} tickets, {result.attachments} attachments, "
            f"{result.emails} original emails"
        )

    def _erase(self, customer: Customer, confirmed: bool) -> None:
        if not confirmed:
            raise CommandError("erasure cannot be undone: repeat with --yes")
        report = erase_customer(customer=customer, actor=None)
        self.stdout.write(
            f"erased customer #{customer.pk}: {len(report.tickets)} tickets, "
            f"{report.messages} messages, {report.attachments} attachments, "
            f"{report.raw_emails} raw emails"
        )
