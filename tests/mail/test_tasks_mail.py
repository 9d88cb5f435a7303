"""The worker's periodic poll: every minute, one pass over the due mailboxes."""

from __future__ import annotations

from datetime import datetime

from destek.mail.models import InboundEmail
from destek.mail.tasks import fetch_due_mailboxes, poll_mailboxes
from tests.mail.conftest import turkish_mail


def test_the_poll_is_scheduled_every_minute():
    task = poll_mailboxes.s()
    assert all(task.validate_datetime(datetime(2026, 11, 23, 14, minute)) for minute in range(60))


def test_the_poll_fetches_the_due_mailboxes(imap_mailbox, dovecot, imap_account):
    dovecot.append(*imap_account, [turkish_mail(1), turkish_mail(2)])

    assert poll_mailboxes.call_local() == 2
    assert InboundEmail.objects.filter(mailbox=imap_mailbox).count() == 2
    assert fetch_due_mailboxes() == 0
