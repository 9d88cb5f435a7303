"""``destek fetchmail --once [--mailbox ID]`` in-process: what it prints and when it fails."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from destek.mail import fetch as fetch_module
from destek.mail.models import InboundEmail, Mailbox
from tests.mail.conftest import make_mailbox, turkish_mail


def fetchmail(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("fetchmail", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_once_prints_the_import_progress_and_the_new_mail(
    workspace, trust_dovecot, imap_account, monkeypatch
):
    # Progress is printed after each batch read from the server: two mails, then one.
    monkeypatch.setattr(fetch_module, "BATCH_MESSAGES", 2)
    trust_dovecot.append(*imap_account, [turkish_mail(n) for n in range(3)])
    mailbox = make_mailbox(workspace, trust_dovecot, *imap_account, import_days=1)

    out, err = fetchmail("--once")

    assert out.splitlines() == [
        f"{mailbox.address}: imported 2/3",
        f"{mailbox.address}: imported 3/3",
        f"{mailbox.address}: 3 new",
    ]
    assert err == ""


def test_once_fails_when_a_mailbox_cannot_be_fetched(workspace, trust_dovecot, imap_account):
    mailbox = make_mailbox(workspace, trust_dovecot, imap_account[0], "yanlış")
    err = StringIO()

    with pytest.raises(CommandError, match="some mailboxes could not be fetched"):
        call_command("fetchmail", "--once", stdout=StringIO(), stderr=err)

    assert err.getvalue() == (
        f"{mailbox.address}: failed: 127.0.0.1 kullanıcı adını veya parolayı kabul etmedi.\n"
    )


def test_a_named_mailbox_is_fetched_even_while_it_backs_off(workspace, trust_dovecot, imap_account):
    mailbox = make_mailbox(workspace, trust_dovecot, imap_account[0], "yanlış")
    with pytest.raises(CommandError):
        fetchmail("--once")
    mailbox.imap_password = imap_account[1]  # the admin fixes the password
    mailbox.save()
    trust_dovecot.append(*imap_account, [turkish_mail(1)])

    assert fetchmail("--once")[0] == ""  # not due yet: waits out its backoff
    fetchmail("--once", "--mailbox", str(mailbox.pk))

    mailbox.refresh_from_db()
    assert mailbox.failure_count == 0
    assert mailbox.uidvalidity is not None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (None, "no mailbox with id 999"),
        ({"is_active": False}, "is switched off"),
        ({"imap_host": ""}, "has no IMAP settings"),
    ],
)
def test_a_named_mailbox_must_exist_be_active_and_have_imap(workspace, fields, message):
    mailbox = Mailbox.objects.create(
        workspace=workspace, address="destek@anadolu.test", imap_host="imap.anadolu.test"
    )
    if fields:
        Mailbox.objects.filter(pk=mailbox.pk).update(**fields)

    with pytest.raises(CommandError, match=message):
        fetchmail("--once", "--mailbox", "999" if fields is None else str(mailbox.pk))
    assert InboundEmail.objects.count() == 0
