"""Reminding customers of pending tickets (destek/mail/reminders.py), sent through a real SMTP
server: off by default, once per pending stretch, automatic mail threaded into the ticket."""

# The SMTP fixtures are imported from tests/mail/smtp_server.py and used as arguments.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from destek.mail import tokens
from destek.mail.models import OutboundEmail, OutboundKind, OutboundStatus
from destek.mail.reminders import send_pending_reminders
from destek.tickets import actions
from destek.tickets.status import Status
from tests.mail.smtp_server import (  # noqa: F401 (fixtures)
    connect_mailbox,
    immediate_worker,
    smtp_cert,
    smtp_starttls,
    trust_smtp_cert,
)

START = timezone.now().replace(microsecond=0) - timedelta(days=10)


@pytest.fixture
def mailbox(workspace, smtp_starttls):
    return connect_mailbox(workspace, smtp_starttls)


@pytest.fixture
def pending(workspace, customer, agent):
    """A ticket answered and set pending at START; the workspace reminds after 3 days."""
    workspace.pending_reminder_days = 3
    workspace.save()
    ticket = actions.create_ticket(
        workspace=workspace, customer=customer, subject="Fatura adresi", text="?", created_at=START
    )
    actions.reply(ticket=ticket, actor=agent, text="Adresiniz nedir?", now=START)
    actions.change_status(ticket=ticket, actor=agent, status=Status.PENDING, now=START)
    return ticket


@pytest.fixture
def run(immediate_worker, django_capture_on_commit_callbacks):
    def check(at):
        with django_capture_on_commit_callbacks(execute=True):
            return send_pending_reminders(at)

    return check


def reminders():
    return list(OutboundEmail.objects.filter(kind=OutboundKind.REMINDER).order_by("pk"))


def test_one_reminder_after_n_days_and_never_again_in_the_stretch(
    mailbox, pending, run, smtp_starttls
):
    assert run(START + timedelta(days=2, hours=23)) == 0
    assert run(START + timedelta(days=3)) == 1
    assert run(START + timedelta(days=4)) == 0
    assert run(START + timedelta(days=9)) == 0

    [reminder] = reminders()
    assert reminder.status == OutboundStatus.SENT
    assert reminder.to == ["zeynep.kaya@musteri.test"]
    [mail] = [m for m in smtp_starttls.received if m.rcpt_tos == ["zeynep.kaya@musteri.test"]][-1:]
    msg = mail.message
    assert msg["Subject"] == "Re: [DST-1] Fatura adresi"
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg.get_content().startswith(
        "Merhaba Zeynep,\n\nDST-1 numaralı talebiniz için sizden bir yanıt bekliyoruz."
    )
    # The customer's answer threads back into the ticket through the signed Message-ID.
    message_id = msg["Message-ID"].strip("<>")
    assert tokens.ticket_of_message_id(message_id) == (pending.workspace_id, pending.pk)


def test_a_new_pending_stretch_gets_a_new_reminder(mailbox, pending, run, customer, agent):
    run(START + timedelta(days=3))
    back = START + timedelta(days=5)
    actions.add_customer_message(ticket=pending, customer=customer, text="Adres: ...", now=back)
    actions.change_status(ticket=pending, actor=agent, status=Status.PENDING, now=back)

    assert run(back + timedelta(days=2)) == 0
    assert run(back + timedelta(days=3)) == 1
    assert len(reminders()) == 2


def test_off_by_default_and_only_for_pending(workspace, mailbox, pending, run, agent):
    workspace.pending_reminder_days = None
    workspace.save()
    assert run(START + timedelta(days=9)) == 0

    workspace.pending_reminder_days = 3
    workspace.save()
    actions.change_status(ticket=pending, actor=agent, status=Status.OPEN)
    assert run(START + timedelta(days=9)) == 0
    assert reminders() == []


def test_without_a_sending_mailbox_nothing_is_marked(pending, run):
    assert run(START + timedelta(days=3)) == 0

    pending.refresh_from_db()
    assert pending.pending_reminded_at is None


def test_the_reminder_task_runs_hourly():
    from datetime import datetime

    from destek.mail.tasks import remind_pending_customers

    assert remind_pending_customers.s().validate_datetime(datetime(2026, 11, 23, 14, 23))
    assert not remind_pending_customers.s().validate_datetime(datetime(2026, 11, 23, 14, 24))
