"""Fetching over IMAP from a real Dovecot: new mail by UID, stored, marked seen, never deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from destek.mail import fetch as fetch_module
from destek.mail import poller
from destek.mail.models import InboundEmail, InboundStatus, Mailbox
from destek.tickets.models import Message, Ticket
from tests.mail.conftest import make_mailbox, turkish_mail

SEEN = b"\\Seen"


def fetch(mailbox: Mailbox, **options) -> poller.FetchOutcome:
    outcome = poller.fetch_mailbox(mailbox.pk, **options)
    mailbox.refresh_from_db()
    return outcome


def test_new_mail_becomes_tickets(imap_mailbox, dovecot, imap_account):
    dovecot.append(*imap_account, [turkish_mail(n) for n in range(1, 4)])

    outcome = fetch(imap_mailbox)

    assert (outcome.fetched, outcome.error) == (3, "")
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == [
        "Sipariş #1001 kargoya verilmedi — ödeme çekildi",
        "Sipariş #1002 kargoya verilmedi — ödeme çekildi",
        "Sipariş #1003 kargoya verilmedi — ödeme çekildi",
    ]
    assert set(InboundEmail.objects.values_list("status", flat=True)) == {InboundStatus.PROCESSED}
    assert list(InboundEmail.objects.values_list("uid", flat=True)) == [1, 2, 3]
    assert imap_mailbox.last_uid == 3


def test_fetched_mail_stays_on_the_server_marked_seen(imap_mailbox, dovecot, imap_account):
    dovecot.append(*imap_account, [turkish_mail(n) for n in range(1, 4)])

    fetch(imap_mailbox)

    flags = dovecot.flags(*imap_account)
    assert sorted(flags) == [1, 2, 3]
    assert all(SEEN in item for item in flags.values())


def test_mail_already_read_in_a_mail_client_is_imported(imap_mailbox, dovecot, imap_account):
    dovecot.append(*imap_account, [turkish_mail(1)], flags=(SEEN,))
    dovecot.append(*imap_account, [turkish_mail(2)])

    assert fetch(imap_mailbox).fetched == 2
    assert Ticket.objects.count() == 2


def test_second_pass_imports_nothing_again(imap_mailbox, dovecot, imap_account):
    dovecot.append(*imap_account, [turkish_mail(n) for n in range(1, 3)])
    fetch(imap_mailbox)

    # "UID 3:*" also matches UID 2, the highest existing one: it must not come in again.
    again = fetch(imap_mailbox)

    assert again.fetched == 0
    assert InboundEmail.objects.count() == 2
    assert Message.objects.count() == 2


def test_only_mail_above_the_last_uid_is_new(imap_mailbox, dovecot, imap_account):
    dovecot.append(*imap_account, [turkish_mail(1)])
    fetch(imap_mailbox)
    dovecot.append(*imap_account, [turkish_mail(2), turkish_mail(3)])

    assert fetch(imap_mailbox).fetched == 2
    assert list(InboundEmail.objects.order_by("uid").values_list("uid", flat=True)) == [1, 2, 3]


def test_first_connection_takes_only_mail_from_now_on(workspace, trust_dovecot, imap_account):
    trust_dovecot.append(*imap_account, [turkish_mail(1), turkish_mail(2)])
    mailbox = make_mailbox(workspace, trust_dovecot, *imap_account, import_days=None)

    assert fetch(mailbox).fetched == 0
    assert (mailbox.last_uid, mailbox.uidvalidity is not None) == (2, True)

    trust_dovecot.append(*imap_account, [turkish_mail(3)])
    assert fetch(mailbox).fetched == 1
    assert Ticket.objects.get().subject.startswith("Sipariş #1003")


def test_a_batch_delivered_twice_in_one_fetch_is_one_ticket(imap_mailbox, dovecot, imap_account):
    # The same bytes twice in the folder (a client's copy, a redelivery) and a reply to the
    # first: read in one FETCH, stored and processed together.
    first = turkish_mail(1)
    dovecot.append(*imap_account, [first, first, turkish_mail(2)])

    outcome = fetch(imap_mailbox)

    assert outcome.fetched == 3
    assert InboundEmail.objects.count() == 2
    assert Ticket.objects.count() == 2
    assert Message.objects.count() == 2
    assert set(InboundEmail.objects.values_list("status", flat=True)) == {InboundStatus.PROCESSED}
    assert imap_mailbox.last_uid == 3
    assert all(SEEN in flags for flags in dovecot.flags(*imap_account).values())


def test_first_connection_imports_the_last_days_with_progress(
    workspace, trust_dovecot, imap_account, monkeypatch
):
    # Progress is told once per batch read from the server: two batches here.
    monkeypatch.setattr(fetch_module, "BATCH_MESSAGES", 2)
    old = timezone.now() - timedelta(days=40)
    trust_dovecot.append(*imap_account, [turkish_mail(1), turkish_mail(2)], when=old)
    trust_dovecot.append(*imap_account, [turkish_mail(n) for n in range(3, 6)])
    trust_dovecot.append(*imap_account, [turkish_mail(6)], when=old)
    mailbox = make_mailbox(workspace, trust_dovecot, *imap_account, import_days=30)
    seen = []

    outcome = fetch(mailbox, progress=lambda box, done, total: seen.append((done, total)))

    assert outcome.fetched == 3
    assert seen == [(2, 3), (3, 3)]
    assert (mailbox.import_done, mailbox.import_total) == (3, 3)
    # The old mail after the imported ones is not "new mail" on the next pass either.
    assert mailbox.last_uid == 6
    assert fetch(mailbox).fetched == 0
    assert InboundEmail.objects.count() == 3


def test_interrupted_import_carries_on_where_it_stopped(
    workspace, trust_dovecot, imap_account, monkeypatch
):
    # The stop is asked for after each batch read from the server: one mail each here.
    monkeypatch.setattr(fetch_module, "BATCH_MESSAGES", 1)
    trust_dovecot.append(*imap_account, [turkish_mail(n) for n in range(1, 6)])
    mailbox = make_mailbox(workspace, trust_dovecot, *imap_account, import_days=7)
    calls = []

    def stop_after_two() -> bool:
        calls.append(1)
        return len(calls) >= 2

    assert fetch(mailbox, should_stop=stop_after_two).fetched == 2
    assert (mailbox.import_done, mailbox.import_total, mailbox.last_uid) == (2, 5, 2)

    assert fetch(mailbox).fetched == 3
    assert (mailbox.import_done, mailbox.import_total, mailbox.last_uid) == (5, 5, 5)
    assert InboundEmail.objects.count() == 5


def test_uidvalidity_change_rescans_without_duplicates(workspace, trust_dovecot, imap_account):
    login, password = imap_account
    folder = "Destek/Gelen"
    first = [turkish_mail(n) for n in range(1, 4)]
    trust_dovecot.append(login, password, first, folder=folder)
    mailbox = make_mailbox(workspace, trust_dovecot, login, password, imap_folder=folder)
    mailbox.import_days = 1
    mailbox.save()
    assert fetch(mailbox).fetched == 3
    old_uidvalidity = mailbox.uidvalidity

    # The folder is recreated (a restore, a server move): same mail, new UIDs and UIDVALIDITY.
    trust_dovecot.doveadm("mailbox", "delete", "-u", login, folder)
    trust_dovecot.append(login, password, [*first, turkish_mail(4)], folder=folder)

    outcome = fetch(mailbox)

    assert outcome.error == ""
    assert mailbox.uidvalidity != old_uidvalidity
    assert InboundEmail.objects.count() == 4
    assert Ticket.objects.count() == 4
    assert Message.objects.count() == 4
    assert mailbox.last_uid == 4
    assert fetch(mailbox).fetched == 0


def test_mail_stored_but_not_processed_is_processed_on_the_next_pass(
    imap_mailbox, dovecot, imap_account
):
    from destek.mail import ingest
    from destek.mail.models import InboundSource

    raw = turkish_mail(1)
    [uid] = dovecot.append(*imap_account, [raw])
    # A fetcher that died right after storing (and marking, and recording the UID).
    ingest.receive(
        imap_mailbox, raw, source=InboundSource.IMAP, uidvalidity=imap_mailbox.uidvalidity, uid=uid
    )
    Mailbox.objects.filter(pk=imap_mailbox.pk).update(last_uid=uid)

    assert fetch(imap_mailbox).fetched == 0
    assert InboundEmail.objects.get().status == InboundStatus.PROCESSED
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize("security", ["ssl", "none"])
def test_fetches_over_implicit_tls_and_unencrypted(
    workspace, trust_dovecot, imap_account, security
):
    port = trust_dovecot.imaps_port if security == "ssl" else trust_dovecot.imap_port
    mailbox = make_mailbox(
        workspace, trust_dovecot, *imap_account, imap_security=security, imap_port=port
    )
    fetch(mailbox)
    trust_dovecot.append(*imap_account, [turkish_mail(1)])

    assert fetch(mailbox).fetched == 1


def test_a_backlog_import_sends_no_acknowledgements(
    workspace, trust_dovecot, dovecot, imap_account
):
    from destek.mail.models import OutboundEmail

    dovecot.append(
        *imap_account,
        [
            turkish_mail(1, date=timezone.now() - timedelta(days=5)),
            turkish_mail(2, date=timezone.now() - timedelta(days=1)),
        ],
    )
    mailbox = make_mailbox(workspace, trust_dovecot, *imap_account, import_days=30)

    fetch(mailbox)

    assert Ticket.objects.count() == 2
    acknowledged = OutboundEmail.objects.filter(kind="acknowledgement")
    assert list(acknowledged.values_list("ticket__subject", flat=True)) == [
        "Sipariş #1002 kargoya verilmedi — ödeme çekildi"
    ]
