"""``destek ingest`` and ``destek mailbox`` (DESIGN §10), through call_command and, once, as the
real command an MTA pipes mail into."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError

from destek.lib import crypto
from destek.mail.models import InboundEmail, InboundStatus, Mailbox
from destek.tickets.models import Ticket
from tests.test_cli import REPO, destek, destek_env

from .inbound import ADDRESS, build_mail, fixture, make_mailbox

pytestmark = pytest.mark.django_db


def run(*args: str, stdin: bytes | None = None) -> str:
    out = io.StringIO()
    extra = {"stdin": io.BytesIO(stdin)} if stdin is not None else {}
    call_command(*args, stdout=out, stderr=io.StringIO(), **extra)
    return out.getvalue()


@pytest.fixture
def mailbox(workspace):
    return make_mailbox(workspace)


# --- destek ingest ---------------------------------------------------------------------------


def test_ingest_reads_files_in_the_order_given(mailbox, tmp_path):
    first, second = tmp_path / "b.eml", tmp_path / "a.eml"
    first.write_bytes(build_mail(subject="Birinci", message_id="<1@x.test>"))
    second.write_bytes(build_mail(subject="İkinci", message_id="<2@x.test>"))
    out = run("ingest", "--mailbox", ADDRESS, str(first), str(second))
    one, two = InboundEmail.objects.order_by("pk")
    assert out.splitlines() == [
        f"{first}: stored #{one.pk}, ticket DST-1",
        f"{second}: stored #{two.pk}, ticket DST-2",
    ]
    assert list(Ticket.objects.order_by("number").values_list("subject", flat=True)) == [
        "Birinci",
        "İkinci",
    ]


def test_ingest_reads_stdin_and_finds_the_mailbox_in_any_case(mailbox):
    raw = fixture("windows-1254-quoted-printable.eml")
    out = run("ingest", "--mailbox", ADDRESS.upper(), stdin=raw)
    assert out == f"stdin: stored #{InboundEmail.objects.get().pk}, ticket DST-1\n"


def test_ingest_reports_quarantine_and_still_succeeds(mailbox):
    out = run("ingest", "--mailbox", ADDRESS, stdin=fixture("no-sender-address.eml"))
    pk = InboundEmail.objects.get().pk
    assert out == f"stdin: stored #{pk}, quarantined: İletide gönderen adresi yok.\n"


def test_ingest_refuses_an_unknown_mailbox(mailbox):
    with pytest.raises(CommandError, match="no mailbox 'yok@firma.test'") as caught:
        run("ingest", "--mailbox", "yok@firma.test", stdin=build_mail())
    assert caught.value.returncode == 67
    assert not InboundEmail.objects.exists()


def test_ingest_refuses_an_inactive_mailbox(workspace):
    make_mailbox(workspace, is_active=False)
    with pytest.raises(CommandError, match="is not active"):
        run("ingest", "--mailbox", ADDRESS, stdin=build_mail())


def test_an_unreadable_file_fails_but_the_others_are_stored(mailbox, tmp_path):
    good = tmp_path / "iyi.eml"
    good.write_bytes(build_mail())
    with pytest.raises(CommandError, match=r"not stored: .*yok\.eml: No such file") as caught:
        run("ingest", "--mailbox", ADDRESS, str(tmp_path / "yok.eml"), str(good))
    assert caught.value.returncode == 66
    assert InboundEmail.objects.get().status == InboundStatus.PROCESSED


def test_empty_stdin_is_an_error(mailbox):
    with pytest.raises(CommandError, match="no message on stdin") as caught:
        run("ingest", "--mailbox", ADDRESS, stdin=b"")
    assert caught.value.returncode == 65


# --- destek mailbox --------------------------------------------------------------------------


def test_mailbox_add_pipe_only(workspace):
    out = run("mailbox", "add", "--workspace", "anadolu", "--address", "Destek@Anadolu.test")
    mailbox = Mailbox.objects.get()
    assert out.splitlines() == [
        f"Added mailbox #{mailbox.pk} destek@anadolu.test to workspace anadolu.",
        "  IMAP: pipe-only",
        "  SMTP: outgoing mail waits",
    ]
    assert (mailbox.workspace, mailbox.has_imap(), mailbox.has_smtp()) == (workspace, False, False)


def test_mailbox_add_with_servers_keeps_passwords_encrypted(workspace, monkeypatch):
    monkeypatch.setenv("IMAP_SIFRE", "gizli-ş1fre")
    monkeypatch.setenv("SMTP_SIFRE", "başka-şifre")
    run(
        "mailbox", "add", "--workspace", "anadolu", "--address", "destek@anadolu.test",
        "--display-name", "Anadolu Destek", "--import-days", "30",
        "--imap-host", "imap.anadolu.test", "--imap-security", "ssl",
        "--imap-password-env", "IMAP_SIFRE",
        "--smtp-host", "smtp.anadolu.test", "--smtp-port", "2587", "--smtp-security", "starttls",
        "--smtp-user", "gonderen", "--smtp-password-env", "SMTP_SIFRE",
    )  # fmt: skip
    mailbox = Mailbox.objects.get()
    assert (mailbox.imap_host, mailbox.imap_port, mailbox.imap_user) == (
        "imap.anadolu.test",
        993,
        "destek@anadolu.test",
    )
    assert (mailbox.smtp_port, mailbox.smtp_security, mailbox.smtp_user) == (
        2587,
        "starttls",
        "gonderen",
    )
    assert (mailbox.display_name, mailbox.import_days) == ("Anadolu Destek", 30)
    assert (mailbox.imap_password, mailbox.smtp_password) == ("gizli-ş1fre", "başka-şifre")
    assert "gizli" not in mailbox.imap_password_encrypted


def test_mailbox_add_with_copies_of_sent_mail(workspace):
    out = run(
        "mailbox", "add", "--workspace", "anadolu", "--address", "destek@anadolu.test",
        "--imap-host", "imap.anadolu.test", "--sent-copy", "--sent-folder", "Gönderilmiş Öğeler",
    )  # fmt: skip
    mailbox = Mailbox.objects.get()
    assert (mailbox.sent_copy, mailbox.sent_folder) == (True, "Gönderilmiş Öğeler")
    assert out.splitlines()[-1] == "  Sent mail copied to: Gönderilmiş Öğeler"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--workspace", "yok"], "no workspace with slug 'yok'"),
        (["--address", "adres-degil"], "is not an email address"),
        (["--imap-port", "993"], "--imap-port given without --imap-host"),
        (["--imap-host", "h", "--imap-password-env", "BOS_DEGISKEN"], "BOS_DEGISKEN is empty"),
        (["--import-days", "0"], "--import-days must be 1 or more"),
    ],
)
def test_mailbox_add_refuses_bad_input(workspace, args, error):
    base = {"--workspace": "anadolu", "--address": "destek@anadolu.test"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    with pytest.raises(CommandError, match=error):
        run("mailbox", "add", *[x for pair in base.items() for x in pair])
    assert not Mailbox.objects.exists()


def test_mailbox_add_refuses_an_address_in_use(mailbox):
    with pytest.raises(CommandError, match="exists already"):
        run("mailbox", "add", "--workspace", "anadolu", "--address", ADDRESS.upper())


def test_mailbox_list(mailbox):
    out = run("mailbox", "list")
    assert out.startswith(f"#{mailbox.pk}")
    assert ADDRESS in out and "anadolu" in out and "pipe-only" in out


def test_mailbox_test_says_what_is_not_configured(mailbox):
    out = run("mailbox", "test", str(mailbox.pk))
    assert out == "IMAP: not configured (pipe-only)\nSMTP: not configured (outgoing mail waits)\n"


def test_mailbox_test_reports_a_refused_connection(workspace, unused_port):
    make_mailbox(workspace, smtp_host="127.0.0.1", smtp_port=unused_port, smtp_security="none")
    out = io.StringIO()
    with pytest.raises(CommandError, match="the connection test failed"):
        call_command("mailbox", "test", ADDRESS, stdout=out)
    imap, smtp = out.getvalue().splitlines()
    assert imap == "IMAP: not configured (pipe-only)"
    assert smtp.startswith("SMTP: FAILED at connect — ")


def test_rotate_keys_moves_passwords_to_the_newest_key(settings, mailbox):
    mailbox.imap_password = "eski-anahtarla"
    mailbox.save()
    old_token = mailbox.imap_password_encrypted
    settings.FERNET_KEYS = [Fernet.generate_key().decode(), *settings.FERNET_KEYS]
    crypto.reset_keys()
    try:
        assert run("mailbox", "rotate-keys") == "Re-encrypted 1 password(s) with the newest key.\n"
        mailbox.refresh_from_db()
        assert mailbox.imap_password_encrypted != old_token
        settings.FERNET_KEYS = settings.FERNET_KEYS[:1]  # the old key retired
        crypto.reset_keys()
        assert mailbox.imap_password == "eski-anahtarla"
    finally:
        crypto.reset_keys()


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- The real command, as an MTA runs it -----------------------------------------------------


def test_an_mta_pipes_a_message_into_python_m_destek_ingest(tmp_path):
    data_dir = tmp_path / "data"
    assert destek(data_dir, "migrate", "--no-input", "-v", "0").returncode == 0
    assert destek(
        data_dir, "createworkspace", "--name", "Anadolu Kahve", "--slug", "anadolu",
        "--prefix", "DST", "--owner-email", "patron@anadolu.test",
    ).returncode == 0  # fmt: skip
    added = destek(data_dir, "mailbox", "add", "--workspace", "anadolu", "--address", ADDRESS)
    assert added.returncode == 0, added.stderr
    piped = subprocess.run(
        [sys.executable, "-m", "destek", "ingest", "--mailbox", ADDRESS],
        input=fixture("reply-outlook-turkish.eml"),
        cwd=REPO,
        env=destek_env(data_dir),
        capture_output=True,
        timeout=180,
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.decode() == "stdin: stored #1, ticket DST-1\n"
    unknown = subprocess.run(
        [sys.executable, "-m", "destek", "ingest", "--mailbox", "yok@anadolu.test"],
        input=build_mail(),
        cwd=REPO,
        env=destek_env(data_dir),
        capture_output=True,
        timeout=180,
    )
    assert unknown.returncode == 67
    assert b"no mailbox 'yok@anadolu.test'" in unknown.stderr
    exported = destek(data_dir, "export", "--workspace", "anadolu")
    document = json.loads(exported.stdout)
    assert [t["code"] for t in document["tickets"]] == ["DST-1"]
