"""“Test connection” against real servers: each failure named at its stage, in Turkish."""

from __future__ import annotations

import pytest

from destek.mail.check import check_imap, check_smtp
from destek.mail.models import Mailbox
from tests.mail import smtp_server
from tests.mail.conftest import make_mailbox
from tests.mail.dovecot import PLAIN_HOST, free_port
from tests.mail.smtp_server import PASSWORD, USERNAME, start_smtp

# The SMTP test server's fixtures, used here by name.
smtp_cert = smtp_server.smtp_cert
trust_smtp_cert = smtp_server.trust_smtp_cert


@pytest.fixture
def untrusted(settings):
    """No extra CA: the test servers' self-signed certificates are strangers."""
    settings.MAIL_CA_FILE = ""


def imap_box(workspace, dovecot, account, **fields) -> Mailbox:
    return make_mailbox(workspace, dovecot, *account, **fields)


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_imap_that_works_says_how_much_mail_the_folder_holds(
    workspace, trust_dovecot, imap_account, security
):
    trust_dovecot.append(
        *imap_account, [b"Subject: bir\r\n\r\nx\r\n", b"Subject: iki\r\n\r\ny\r\n"]
    )
    port = trust_dovecot.imaps_port if security == "ssl" else trust_dovecot.imap_port
    box = imap_box(workspace, trust_dovecot, imap_account, imap_security=security, imap_port=port)

    result = check_imap(box)

    assert result.ok
    assert result.stage == "ok"
    assert result.message == "IMAP bağlantısı çalışıyor: INBOX klasöründe 2 e-posta var."
    # Checking reads nothing: the mail is still unread.
    assert all(b"\\Seen" not in flags for flags in trust_dovecot.flags(*imap_account).values())


def test_imap_wrong_password_is_an_authentication_failure(workspace, trust_dovecot, imap_account):
    box = imap_box(workspace, trust_dovecot, (imap_account[0], "yanlış"))

    result = check_imap(box)

    assert (result.ok, result.stage) == (False, "auth")
    assert result.message == "127.0.0.1 kullanıcı adını veya parolayı kabul etmedi."


def test_imap_refused_port(workspace, trust_dovecot, imap_account):
    port = free_port()
    box = imap_box(workspace, trust_dovecot, imap_account, imap_port=port)

    result = check_imap(box)

    assert (result.ok, result.stage) == (False, "connect")
    assert result.message == (
        f"127.0.0.1:{port} bağlantıyı reddetti. Sunucu ve port ayarını kontrol edin."
    )


def test_imap_host_that_does_not_resolve(workspace, trust_dovecot, imap_account):
    box = imap_box(workspace, trust_dovecot, imap_account, imap_host="nonexistent.invalid")

    result = check_imap(box)

    assert (result.ok, result.stage) == (False, "dns")
    assert result.message == (
        "nonexistent.invalid sunucu adı bulunamadı (DNS). Sunucu adını kontrol edin."
    )


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_imap_certificate_nobody_vouches_for(workspace, dovecot, imap_account, untrusted, security):
    port = dovecot.imaps_port if security == "ssl" else dovecot.imap_port
    box = imap_box(workspace, dovecot, imap_account, imap_security=security, imap_port=port)

    result = check_imap(box)

    assert (result.ok, result.stage) == (False, "tls")
    assert result.message == (
        "127.0.0.1 sunucusunun TLS sertifikası doğrulanamadı: self-signed certificate"
    )


def test_imap_implicit_tls_on_a_plain_port(workspace, trust_dovecot, imap_account):
    box = imap_box(workspace, trust_dovecot, imap_account, imap_security="ssl")

    result = check_imap(box)

    assert (result.ok, result.stage) == (False, "tls")
    assert result.message.startswith(f"127.0.0.1:{trust_dovecot.imap_port} ile TLS bağlantısı")
    assert result.message.endswith("Port ile güvenlik ayarının eşleştiğini kontrol edin.")


def test_imap_server_without_starttls(workspace, trust_dovecot, imap_account):
    box = imap_box(
        workspace,
        trust_dovecot,
        imap_account,
        imap_host=PLAIN_HOST,
        imap_port=trust_dovecot.plain_port,
    )

    result = check_imap(box)

    assert (result.ok, result.stage) == (False, "starttls")
    assert result.message == (
        f"{PLAIN_HOST}:{trust_dovecot.plain_port} STARTTLS sunmuyor, bağlantı şifrelenemez. "
        "SSL/TLS ile başka bir port deneyin."
    )


def test_imap_folder_missing(workspace, trust_dovecot, imap_account):
    box = imap_box(workspace, trust_dovecot, imap_account, imap_folder="Destek/Yok")

    result = check_imap(box)

    assert (result.ok, result.stage) == (False, "folder")
    assert result.message == "IMAP klasörü bulunamadı: Destek/Yok"


def test_a_mailbox_without_servers_says_so(workspace):
    box = Mailbox.objects.create(workspace=workspace, address="boru@anadolu.test")

    assert check_imap(box).message == "IMAP sunucusu girilmemiş."
    assert check_smtp(box).message == "SMTP sunucusu girilmemiş."


def smtp_box(workspace, server, *, password: str = PASSWORD, **fields) -> Mailbox:
    values = {
        "smtp_host": server.host,
        "smtp_port": server.port,
        "smtp_security": server.security,
        "smtp_user": server.username or "",
    }
    values.update(fields)
    box = Mailbox(workspace=workspace, address="destek@anadolu.test", **values)
    box.smtp_password = password
    box.save()
    return box


@pytest.fixture(params=["starttls", "smtps", "plain"])
def smtp(request, smtp_cert):
    server = start_smtp(request.param, cert=smtp_cert)
    yield server
    server.stop()


def test_smtp_that_works_sends_nothing(workspace, smtp, trust_smtp_cert):
    # The password has Turkish letters: AUTH PLAIN carries them as UTF-8.
    assert not PASSWORD.isascii()

    result = check_smtp(smtp_box(workspace, smtp))

    assert (result.ok, result.stage) == (True, "ok")
    assert result.message == (
        "SMTP bağlantısı çalışıyor: destek@anadolu.test adresinden e-posta gönderilebilir."
    )
    assert smtp.received == []


@pytest.mark.parametrize("mode", ["starttls", "smtps"])
def test_smtp_wrong_password(workspace, smtp_cert, trust_smtp_cert, mode):
    server = start_smtp(mode, cert=smtp_cert)
    try:
        result = check_smtp(smtp_box(workspace, server, password="yanlış"))
    finally:
        server.stop()

    assert (result.ok, result.stage) == (False, "auth")
    assert result.message == "127.0.0.1 kullanıcı adını veya parolayı kabul etmedi."


def test_smtp_server_without_starttls(workspace, smtp_cert):
    server = start_smtp("plain")
    try:
        box = smtp_box(workspace, server, smtp_security="starttls", smtp_user=USERNAME)
        result = check_smtp(box)
    finally:
        server.stop()

    assert (result.ok, result.stage) == (False, "starttls")
    assert result.message.startswith(f"127.0.0.1:{server.port} STARTTLS sunmuyor")


@pytest.mark.parametrize("mode", ["starttls", "smtps"])
def test_smtp_certificate_nobody_vouches_for(workspace, smtp_cert, untrusted, mode):
    server = start_smtp(mode, cert=smtp_cert)
    try:
        result = check_smtp(smtp_box(workspace, server))
    finally:
        server.stop()

    assert (result.ok, result.stage) == (False, "tls")
    assert result.message == (
        "127.0.0.1 sunucusunun TLS sertifikası doğrulanamadı: self-signed certificate"
    )


def test_smtp_refused_port_and_unknown_host(workspace):
    port = free_port()
    box = Mailbox.objects.create(
        workspace=workspace,
        address="destek@anadolu.test",
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
    )

    refused = check_smtp(box)
    box.smtp_host = "nonexistent.invalid"
    unknown = check_smtp(box)

    assert (refused.stage, refused.message) == (
        "connect",
        f"127.0.0.1:{port} bağlantıyı reddetti. Sunucu ve port ayarını kontrol edin.",
    )
    assert (unknown.stage, unknown.message) == (
        "dns",
        "nonexistent.invalid sunucu adı bulunamadı (DNS). Sunucu adını kontrol edin.",
    )
