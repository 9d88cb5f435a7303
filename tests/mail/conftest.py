"""Fixtures for the mail tests that talk to a real IMAP server: one private Dovecot for the
session (see tests/mail/dovecot.py), a fresh mail user per test, and mailboxes pointing at it.
SMTP fixtures live in tests/mail/smtp_server.py."""

from __future__ import annotations

import uuid
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from django.utils import timezone

from destek.accounts.models import Workspace
from destek.mail.models import Mailbox, Security
from tests.conftest import require_service
from tests.mail.dovecot import Dovecot, dovecot_installed, start_dovecot, stop_dovecot


@pytest.fixture(scope="session")
def dovecot():
    # Only the tests that use it need it: the parser tests run without Dovecot.
    require_service(
        dovecot_installed(), "dovecot missing: apt-get install dovecot-imapd dovecot-lmtpd"
    )
    server = start_dovecot()
    yield server
    problems = stop_dovecot(server)
    assert not problems, "Dovecot logged warnings or errors:\n" + "\n".join(problems)


@pytest.fixture
def trust_dovecot(settings, dovecot: Dovecot) -> Dovecot:
    """Verify the test server's self-signed certificate as a real CA would be (never off)."""
    settings.MAIL_CA_FILE = str(dovecot.cert)
    return dovecot


@pytest.fixture
def imap_account(dovecot: Dovecot) -> tuple[str, str]:
    """A fresh Dovecot user: ``(login, password)``."""
    return dovecot.new_user()


def make_mailbox(
    workspace: Workspace,
    dovecot: Dovecot,
    login: str,
    password: str,
    **fields: object,
) -> Mailbox:
    """A mailbox whose IMAP side is the test Dovecot (STARTTLS on the plain port by default)."""
    values: dict[str, object] = {
        "workspace": workspace,
        "address": login,
        "imap_host": dovecot.host,
        "imap_port": dovecot.imap_port,
        "imap_security": Security.STARTTLS,
        "imap_user": login,
    }
    values.update(fields)
    mailbox = Mailbox(**values)
    mailbox.imap_password = password
    mailbox.save()
    return mailbox


@pytest.fixture
def imap_mailbox(workspace, trust_dovecot, imap_account) -> Mailbox:
    """A connected mailbox (first connection done, folder empty): every mail appended from
    now on is new mail."""
    from destek.mail import poller

    box = make_mailbox(workspace, trust_dovecot, *imap_account)
    outcome = poller.fetch_mailbox(box.pk)
    assert not outcome.error, outcome.error
    box.refresh_from_db()
    return box


def turkish_mail(
    n: int = 1,
    *,
    sender: str = "zeynep.kaya@musteri.test",
    to: str = "destek@anadolu.test",
    subject: str | None = None,
    date: datetime | None = None,
) -> bytes:
    """A customer's mail in Turkish with a unique Message-ID, written now unless ``date``."""
    message = EmailMessage()
    message["From"] = f"Zeynep Kaya <{sender}>"
    message["To"] = to
    message["Subject"] = subject or f"Sipariş #{1000 + n} kargoya verilmedi — ödeme çekildi"
    message["Message-ID"] = f"<{uuid.uuid4().hex}@musteri.test>"
    message["Date"] = format_datetime(date or timezone.now())
    message.set_content(
        f"Merhaba,\n\n{1000 + n} numaralı siparişim için kartımdan ödeme çekildi ama kargo "
        "bilgisi gelmedi. Yardımcı olabilir misiniz?\n\nTeşekkürler,\nZeynep Kaya\n"
    )
    return message.as_bytes()
