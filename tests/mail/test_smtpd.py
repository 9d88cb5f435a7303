"""Destek's own SMTP receiver (destek/mail/smtpd.py, ``destek smtpd``), driven by smtplib.

The receiver runs on a free loopback port and stores through the real ingest in its own thread,
so these tests commit (``transaction=True``) like production does.
"""

from __future__ import annotations

import os
import signal
import smtplib
import subprocess
import sys
import time
from pathlib import Path

import pytest

from destek.mail import smtpd
from destek.mail.models import InboundEmail, InboundStatus, Mailbox, OutboundEmail, OutboundStatus
from destek.tickets import actions
from tests.mail.dovecot import free_port
from tests.mail.inbound import ADDRESS, build_mail, make_mailbox

pytestmark = pytest.mark.django_db(transaction=True)
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def receiver():
    port = free_port()
    controller = smtpd.start("127.0.0.1", port)
    yield ("127.0.0.1", port)
    controller.stop()


@pytest.fixture
def mailbox(workspace) -> Mailbox:
    return make_mailbox(workspace, acknowledge=False)


def client(receiver) -> smtplib.SMTP:
    return smtplib.SMTP(*receiver, local_hostname="musteri.test", timeout=10)


def test_a_mail_for_a_mailbox_is_accepted_and_becomes_a_ticket(receiver, mailbox):
    with client(receiver) as smtp:
        smtp.ehlo()
        smtp.mail("zeynep.kaya@musteri.test")
        assert smtp.rcpt(ADDRESS) == (250, b"2.1.5 Recipient OK")
        assert smtp.data(build_mail()) == (250, b"2.0.0 Message accepted")
    inbound = InboundEmail.objects.get()
    assert (inbound.source, inbound.status, inbound.mailbox) == ("smtp", "processed", mailbox)
    assert inbound.ticket.subject == "Siparişim hâlâ gelmedi"
    assert bytes(inbound.raw).startswith(b"Return-Path: <zeynep.kaya@musteri.test>\r\n")


def test_an_unknown_recipient_is_refused_with_550(receiver, mailbox):
    with client(receiver) as smtp:
        smtp.ehlo()
        smtp.mail("zeynep.kaya@musteri.test")
        assert smtp.rcpt("baskasi@anadolukahve.com.tr") == (
            550,
            b"5.1.1 Recipient address rejected: no active mailbox here",
        )
    assert not InboundEmail.objects.exists()


def test_an_inactive_mailbox_is_an_unknown_recipient(receiver, mailbox):
    Mailbox.objects.filter(pk=mailbox.pk).update(is_active=False)
    with client(receiver) as smtp, pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        smtp.sendmail("zeynep.kaya@musteri.test", [ADDRESS], build_mail())
    assert refused.value.recipients[ADDRESS][0] == 550


def test_only_known_recipients_of_a_mail_are_delivered(receiver, mailbox):
    with client(receiver) as smtp:
        refused = smtp.sendmail(
            "zeynep.kaya@musteri.test", ["kimse@baska.test", ADDRESS.upper()], build_mail()
        )
    assert refused == {
        "kimse@baska.test": (550, b"5.1.1 Recipient address rejected: no active mailbox here")
    }
    assert InboundEmail.objects.get().mailbox == mailbox


def test_the_same_mail_delivered_twice_is_stored_once(receiver, mailbox):
    raw = build_mail()
    for _ in range(2):
        with client(receiver) as smtp:
            smtp.sendmail("zeynep.kaya@musteri.test", [ADDRESS], raw)
    assert InboundEmail.objects.count() == 1
    assert mailbox.workspace and InboundEmail.objects.get().ticket.messages.count() == 1


def test_a_mail_over_the_size_limit_is_refused(mailbox, settings):
    big = build_mail(attachments=[("büyük.bin", "application/octet-stream", b"x" * 4096)])
    port = free_port()
    settings.SMTPD_MAX_BYTES = 2048
    controller = smtpd.start("127.0.0.1", port)
    try:
        with (
            smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp,
            pytest.raises(smtplib.SMTPSenderRefused) as refused,
        ):
            smtp.sendmail("zeynep.kaya@musteri.test", [ADDRESS], big)
    finally:
        controller.stop()
    assert refused.value.smtp_code == 552
    assert not InboundEmail.objects.exists()


def test_a_bounce_from_the_null_sender_fails_the_reply_it_returns(receiver, mailbox, agent):
    with client(receiver) as smtp:
        smtp.sendmail("zeynep.kaya@musteri.test", [ADDRESS], build_mail())
    ticket = InboundEmail.objects.get().ticket
    reply = actions.reply(ticket=ticket, actor=agent, text="Yanıt")
    outbound = OutboundEmail.objects.get(ticket_message=reply)
    dsn = f"""From: Mail Delivery System <mailer-daemon@mx.musteri.test>
To: {ADDRESS}
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn.1@mx.musteri.test>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Delivery failed.

--B
Content-Type: message/delivery-status

Final-Recipient: rfc822; zeynep.kaya@musteri.test
Action: failed
Status: 5.2.2
Diagnostic-Code: smtp; 552 5.2.2 Mailbox full

--B
Content-Type: text/rfc822-headers

Message-ID: <{outbound.message_id}>
Subject: {outbound.subject}

--B--
""".encode()
    with client(receiver) as smtp:
        smtp.sendmail("", [ADDRESS], dsn)
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.FAILED
    assert "552 5.2.2 Mailbox full" in outbound.last_error
    bounce = InboundEmail.objects.get(message_id="dsn.1@mx.musteri.test")
    assert (bounce.status, bounce.ticket) == (InboundStatus.IGNORED, None)


def test_listen_addresses_are_parsed():
    assert smtpd.parse_listen("127.0.0.1:2525") == ("127.0.0.1", 2525)
    assert smtpd.parse_listen("[::1]:25") == ("::1", 25)
    for bad in ("2525", "host:", ":25", "host:port"):
        with pytest.raises(ValueError):
            smtpd.parse_listen(bad)


def _wait_for_greeting(port: int, process: subprocess.Popen, timeout: float) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "destek smtpd ended before listening"
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
                return smtp.ehlo()[1]
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"destek smtpd did not answer within {timeout} s")


def test_the_smtpd_command_serves_and_stops_on_sigterm(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["DESTEK_DATA_DIR"] = str(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "destek", "smtpd", "--listen", f"127.0.0.1:{port}"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert b"SIZE" in _wait_for_greeting(port, process, 60)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert f"Destek SMTP receiver listening on 127.0.0.1:{port}" in output
    assert "Destek SMTP receiver stopped." in output
