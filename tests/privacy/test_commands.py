"""`destek customer export|erase` and `destek retention`."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from destek.accounts.models import AuditLog
from destek.privacy.erase import REDACTED
from destek.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def test_customer_export_writes_the_zip(mailed_ticket, tmp_path):
    target = tmp_path / "kvkk.zip"
    err = io.StringIO()

    call_command(
        "customer",
        "export",
        "--workspace=anadolu",
        "--email=SUKRU.OZTURK@musteri.test",
        f"--output={target}",
        stderr=err,
    )

    assert "veri.json" in zipfile.ZipFile(target).namelist()
    assert err.getvalue().strip() == "exported 1 tickets, 1 attachments, 1 original emails"


def test_customer_erase_needs_yes(mailed_ticket):
    with pytest.raises(CommandError, match="repeat with --yes"):
        call_command(
            "customer", "erase", "--workspace=anadolu", "--email=sukru.ozturk@musteri.test"
        )

    assert Ticket.objects.get(pk=mailed_ticket.pk).subject != REDACTED


def test_customer_erase(mailed_ticket):
    out = io.StringIO()

    call_command(
        "customer",
        "erase",
        "--workspace=anadolu",
        "--email=sukru.ozturk@musteri.test",
        "--yes",
        stdout=out,
    )

    customer_id = mailed_ticket.customer_id
    assert out.getvalue().strip() == (
        f"erased customer #{customer_id}: 1 tickets, 3 messages, 1 attachments, 1 raw emails"
    )
    assert AuditLog.objects.get(action="customer.erased").actor is None


def test_an_unknown_customer_is_an_error(workspace):
    with pytest.raises(CommandError, match="no customer with that address"):
        call_command("customer", "export", "--workspace=anadolu", "--email=yok@musteri.test")


def _close_long_ago(ticket, days):
    Ticket.objects.filter(pk=ticket.pk).update(
        status="closed", closed_at=timezone.now() - timedelta(days=days)
    )


def test_retention_dry_run_reports_and_changes_nothing(mailed_ticket, ticket):
    _close_long_ago(mailed_ticket, 200)
    _close_long_ago(ticket, 100)
    out = io.StringIO()

    call_command("retention", "--workspace=anadolu", "--months=6", stdout=out)

    assert out.getvalue().startswith("would purge 1 tickets closed before ")
    assert out.getvalue().strip().endswith(f": {mailed_ticket.code}")
    assert Ticket.objects.get(pk=mailed_ticket.pk).subject != REDACTED


def test_retention_apply_scrubs_only_old_closed_tickets(mailed_ticket, ticket):
    _close_long_ago(mailed_ticket, 200)
    out = io.StringIO()

    call_command("retention", "--workspace=anadolu", "--months=6", "--apply", stdout=out)

    assert out.getvalue().startswith("purged 1 tickets")
    assert Ticket.objects.get(pk=mailed_ticket.pk).subject == REDACTED
    assert Ticket.objects.get(pk=ticket.pk).subject != REDACTED
    entry = AuditLog.objects.get(action="retention.purged")
    assert entry.data == {"months": 6, "tickets": 1, "messages": 3, "attachments": 1}
