"""Faults with nothing lost: the SMTP server down for a while, the database connection dropped
mid-ingest, the disk full while an attachment is written. Real parts each time: a real aiosmtpd
that is not there and then is, a PostgreSQL backend terminated, a 16 KiB tmpfs."""

# The SMTP fixtures are imported from tests/mail/smtp_server.py and used as arguments.
# ruff: noqa: F811

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.db.utils import InterfaceError
from django.utils import timezone

from destek.mail import ingest, send
from destek.mail.models import InboundEmail, InboundStatus, OutboundEmail, OutboundStatus
from destek.tickets import actions
from destek.tickets.models import Ticket
from tests.conftest import require_service
from tests.mail.dovecot import free_port
from tests.mail.inbound import build_mail, make_mailbox
from tests.mail.smtp_server import connect_mailbox, start_smtp

pytestmark = pytest.mark.django_db(transaction=True)


# --- SMTP down, then back -------------------------------------------------------------------


def _deliver_due(now) -> list[OutboundEmail]:
    return [out for pk in send.sweep(now=now) if (out := send.deliver(pk, now=now)) is not None]


def test_replies_wait_while_smtp_is_down_and_each_goes_out_once_when_it_returns(workspace, agent):
    port = free_port()
    mailbox = connect_mailbox(workspace, None)
    mailbox.smtp_host, mailbox.smtp_port, mailbox.smtp_security = "127.0.0.1", port, "none"
    mailbox.save()
    tickets = [
        ingest.receive_and_process(
            mailbox,
            build_mail(message_id=f"<kesinti.{n}@musteri.test>", subject=f"S {n}"),
            source="pipe",
        ).ticket
        for n in range(5)
    ]
    for ticket in tickets:
        actions.reply(ticket=ticket, actor=agent, text=f"Yanıt {ticket.code}")
    now = timezone.now()

    total = OutboundEmail.objects.count()  # the five replies and any automatic mail
    assert total >= 5
    first = _deliver_due(now)  # the server is down
    assert [out.status for out in first] == [OutboundStatus.QUEUED] * total
    assert all("bağlantıyı reddetti" in out.last_error for out in first)

    server = start_smtp("plain", port=port)
    try:
        later = now + timedelta(minutes=2)
        second = _deliver_due(later)
        third = _deliver_due(later + timedelta(hours=3))
    finally:
        server.stop()

    assert [out.status for out in second] == [OutboundStatus.SENT] * total
    assert third == []
    sent_ids = sorted(
        i.strip("<>") for i in OutboundEmail.objects.values_list("message_id", flat=True)
    )
    received_ids = sorted(
        r.message["Message-ID"].strip().strip("<>") for r in server.handler.received
    )
    assert received_ids == sent_ids and len(received_ids) == total


# --- Database connection dropped -------------------------------------------------------------


def test_a_dropped_database_connection_loses_no_mail(workspace):
    if connection.vendor != "postgresql":
        # The SQLite pass has no server connection to drop; CI's PostgreSQL pass runs this.
        pytest.skip("needs PostgreSQL (a server connection to drop)")
    mailbox = make_mailbox(workspace)
    inbound = ingest.receive(mailbox, build_mail(), source="pipe")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    killer = subprocess.run(
        [
            "psql",
            "-h",
            connection.settings_dict["HOST"] or "127.0.0.1",
            "-U",
            connection.settings_dict["USER"],
            "-d",
            "postgres",
            "-c",
            f"SELECT pg_terminate_backend({pid})",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert killer.returncode == 0, killer.stderr

    with pytest.raises((OperationalError, InterfaceError)):
        ingest.process(inbound)

    connection.close()  # what the worker does after a database error
    assert InboundEmail.objects.get(pk=inbound.pk).status == InboundStatus.RECEIVED
    ingest.process(InboundEmail.objects.get(pk=inbound.pk))
    assert InboundEmail.objects.get(pk=inbound.pk).status == InboundStatus.PROCESSED
    assert Ticket.objects.count() == 1


# --- Disk full ----------------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path, settings):
    """A 16 KiB filesystem as the attachment store."""
    mount = tmp_path / "kucuk-disk"
    mount.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    require_service(result.returncode == 0, f"cannot mount a small tmpfs: {result.stderr}")
    settings.MEDIA_ROOT = mount
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_disk_full_while_saving_an_attachment_keeps_the_mail_in_quarantine(
    workspace, tiny_disk: Path, settings, tmp_path
):
    mailbox = make_mailbox(workspace)
    big = bytes(range(256)) * 256  # 64 KiB
    raw = build_mail(attachments=[("buyuk-ek.bin", "application/octet-stream", big)])

    inbound = ingest.receive_and_process(mailbox, raw, source="pipe")

    inbound.refresh_from_db()
    assert inbound.status == InboundStatus.QUARANTINED
    assert "No space left on device" in inbound.error
    assert bytes(inbound.raw) == raw
    assert Ticket.objects.count() == 0

    settings.MEDIA_ROOT = tmp_path / "genis-disk"  # space again: the retry goes through
    ingest.process(inbound)
    inbound.refresh_from_db()
    assert inbound.status == InboundStatus.PROCESSED
    assert inbound.ticket.messages.get().attachments.get().size == len(big)
