"""Opening a mailbox's IMAP and SMTP connections, and saying what failed in the user's words.

Used by the fetcher and by the connection check (DESIGN §5 setup): every failure becomes a
:class:`MailServerError` whose ``stage`` names the step (DNS, TCP connect, TLS certificate,
STARTTLS, authentication, folder) and whose ``message`` is translated for the person reading it.
Certificates are always verified; ``DESTEK_MAIL_CA_FILE`` can add a trust anchor.
"""

from __future__ import annotations

import base64
import contextlib
import imaplib
import logging
import smtplib
import socket
import ssl
from collections.abc import Callable
from enum import StrEnum

from django.conf import settings
from django.utils.translation import gettext as _
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from destek.lib.crypto import SecretUnreadable
from destek.mail.models import Mailbox, Security

logger = logging.getLogger(__name__)


class Stage(StrEnum):
    DNS = "dns"
    CONNECT = "connect"
    TLS = "tls"
    STARTTLS = "starttls"
    AUTH = "auth"
    FOLDER = "folder"
    OK = "ok"


class MailServerError(Exception):
    """Talking to the mail server failed at ``stage``; ``message`` is for the user."""

    def __init__(self, stage: Stage, message: str) -> None:
        super().__init__(message)
        self.stage = stage
        self.message = message


def tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.MAIL_CA_FILE:
        context.load_verify_locations(cafile=settings.MAIL_CA_FILE)
    return context


def resolve(host: str, port: int) -> None:
    """Fail with the DNS stage when the host name does not resolve."""
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        logger.info("mail server name %s does not resolve: %s", host, exc)
        raise MailServerError(
            Stage.DNS,
            _("%(host)s sunucu adı bulunamadı (DNS). Sunucu adını kontrol edin.") % {"host": host},
        ) from exc


def explain(exc: BaseException, host: str, port: int) -> MailServerError:
    """A network or TLS exception as a :class:`MailServerError` (order matters: the TLS errors
    are OSErrors too)."""
    where = {"host": host, "port": port}
    if isinstance(exc, MailServerError):
        return exc
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = exc.verify_message or exc.reason or str(exc)
        return MailServerError(
            Stage.TLS,
            _("%(host)s sunucusunun TLS sertifikası doğrulanamadı: %(reason)s")
            % {**where, "reason": reason},
        )
    if isinstance(exc, ssl.SSLError):
        return MailServerError(
            Stage.TLS,
            _(
                "%(host)s:%(port)s ile TLS bağlantısı kurulamadı (%(reason)s). "
                "Port ile güvenlik ayarının eşleştiğini kontrol edin."
            )
            % {**where, "reason": exc.reason or exc.__class__.__name__},
        )
    if isinstance(exc, ConnectionRefusedError):
        return MailServerError(
            Stage.CONNECT,
            _("%(host)s:%(port)s bağlantıyı reddetti. Sunucu ve port ayarını kontrol edin.")
            % where,
        )
    if isinstance(exc, TimeoutError | socket.timeout):
        return MailServerError(
            Stage.CONNECT, _("%(host)s:%(port)s yanıt vermedi (zaman aşımı).") % where
        )
    if isinstance(exc, socket.gaierror):
        return MailServerError(
            Stage.DNS,
            _("%(host)s sunucu adı bulunamadı (DNS). Sunucu adını kontrol edin.") % where,
        )
    if isinstance(exc, OSError | EOFError | imaplib.IMAP4.abort | smtplib.SMTPServerDisconnected):
        return MailServerError(
            Stage.CONNECT,
            _("%(host)s:%(port)s ile bağlantı koptu ya da kurulamadı: %(reason)s")
            % {**where, "reason": _reason(exc)},
        )
    if isinstance(exc, smtplib.SMTPResponseException | IMAPClientError):
        reply = exc.smtp_error if isinstance(exc, smtplib.SMTPResponseException) else str(exc)
        if isinstance(reply, bytes):
            reply = reply.decode("utf-8", "replace")
        return MailServerError(
            Stage.CONNECT,
            _("%(host)s:%(port)s isteği reddetti: %(reason)s") % {**where, "reason": reply},
        )
    logger.error("unexpected mail server failure at %s:%s", host, port, exc_info=exc)
    return MailServerError(
        Stage.CONNECT,
        _("%(host)s:%(port)s beklenmeyen bir yanıt verdi; ayrıntılar sunucu günlüğünde.") % where,
    )


def _reason(exc: BaseException) -> str:
    text = exc.strerror if isinstance(exc, OSError) else None
    return text or str(exc) or type(exc).__name__


def _secret(read: Callable[[], str]) -> str:
    try:
        return read()
    except SecretUnreadable as exc:
        raise MailServerError(
            Stage.AUTH,
            _("Kayıtlı parola çözülemedi (şifreleme anahtarı değişmiş); parolayı yeniden girin."),
        ) from exc


def _auth_failed(host: str) -> MailServerError:
    return MailServerError(
        Stage.AUTH,
        _("%(host)s kullanıcı adını veya parolayı kabul etmedi.") % {"host": host},
    )


def _no_starttls(host: str, port: int) -> MailServerError:
    return MailServerError(
        Stage.STARTTLS,
        _(
            "%(host)s:%(port)s STARTTLS sunmuyor, bağlantı şifrelenemez. "
            "SSL/TLS ile başka bir port deneyin."
        )
        % {"host": host, "port": port},
    )


def default_port(protocol: str, security: str) -> int:
    ports = {
        ("imap", Security.SSL): 993,
        ("imap", Security.STARTTLS): 143,
        ("imap", Security.NONE): 143,
        ("smtp", Security.SSL): 465,
        ("smtp", Security.STARTTLS): 587,
        ("smtp", Security.NONE): 25,
    }
    return ports[(protocol, Security(security))]


def open_imap(mailbox: Mailbox, *, timeout: float | None = None) -> IMAPClient:
    """A logged-in IMAP connection to the mailbox's server (no folder selected yet)."""
    host = mailbox.imap_host
    port = mailbox.imap_port or default_port("imap", mailbox.imap_security)
    password = _secret(lambda: mailbox.imap_password)
    resolve(host, port)
    implicit = mailbox.imap_security == Security.SSL
    try:
        client = IMAPClient(
            host,
            port=port,
            ssl=implicit,
            ssl_context=tls_context() if implicit else None,
            timeout=timeout or settings.MAIL_TIMEOUT_SECONDS,
        )
    except (OSError, EOFError, imaplib.IMAP4.error) as exc:
        raise explain(exc, host, port) from exc
    try:
        if mailbox.imap_security == Security.STARTTLS:
            if not client.has_capability("STARTTLS"):
                raise _no_starttls(host, port)
            client.starttls(tls_context())
        _imap_login(client, mailbox.imap_user or mailbox.address, password)
    except LoginError as exc:
        logger.info("IMAP login refused by %s for mailbox %s", host, mailbox.pk)
        close_imap(client)
        raise _auth_failed(host) from exc
    except (MailServerError, OSError, EOFError, IMAPClientError, imaplib.IMAP4.error) as exc:
        close_imap(client)
        raise explain(exc, host, port) from exc
    return client


def _imap_login(client: IMAPClient, user: str, password: str) -> None:
    # LOGIN takes ASCII only; AUTHENTICATE PLAIN carries UTF-8, so "şifre" works too.
    if f"{user}{password}".isascii() or not client.has_capability("AUTH=PLAIN"):
        try:
            client.login(user, password)
        except UnicodeEncodeError as exc:
            raise _non_ascii_refused(client.host) from exc
    else:
        client.plain_login(user, password)


def _non_ascii_refused(host: str) -> MailServerError:
    return MailServerError(
        Stage.AUTH,
        _(
            "%(host)s, Türkçe karakter ya da başka ASCII dışı harf içeren kullanıcı adı veya "
            "parolayla giriş desteklemiyor."
        )
        % {"host": host},
    )


def select_folder(client: IMAPClient, mailbox: Mailbox) -> dict[bytes, object]:
    """SELECT the mailbox's folder read-write; its SELECT response (UIDVALIDITY, UIDNEXT, …)."""
    folder = mailbox.imap_folder or "INBOX"
    try:
        return client.select_folder(folder)
    except IMAPClientError as exc:
        if not client.folder_exists(folder):
            raise MailServerError(
                Stage.FOLDER,
                _("IMAP klasörü bulunamadı: %(folder)s") % {"folder": folder},
            ) from exc
        raise explain(exc, mailbox.imap_host, mailbox.imap_port or 0) from exc


def close_imap(client: IMAPClient) -> None:
    """Log out, or at least drop the socket: a broken connection must not raise here."""
    try:
        client.logout()
    except Exception:  # the connection is being thrown away anyway
        with contextlib.suppress(Exception):
            client.shutdown()


def open_smtp(mailbox: Mailbox, *, timeout: float | None = None) -> smtplib.SMTP:
    """A connected and (when a user is set) authenticated SMTP session."""
    host = mailbox.smtp_host
    port = mailbox.smtp_port or default_port("smtp", mailbox.smtp_security)
    password = _secret(lambda: mailbox.smtp_password)
    resolve(host, port)
    timeout = timeout or settings.MAIL_TIMEOUT_SECONDS
    try:
        if mailbox.smtp_security == Security.SSL:
            conn = smtplib.SMTP_SSL(host, port, timeout=timeout, context=tls_context())
        else:
            conn = smtplib.SMTP(host, port, timeout=timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise explain(exc, host, port) from exc
    try:
        conn.ehlo()
        if mailbox.smtp_security == Security.STARTTLS:
            if not conn.has_extn("starttls"):
                raise _no_starttls(host, port)
            conn.starttls(context=tls_context())
            conn.ehlo()
        if mailbox.smtp_user:
            if not conn.has_extn("auth"):
                raise MailServerError(
                    Stage.AUTH,
                    _("%(host)s kimlik doğrulama (AUTH) sunmuyor.") % {"host": host},
                )
            _smtp_login(conn, mailbox.smtp_user, password)
    except smtplib.SMTPAuthenticationError as exc:
        logger.info("SMTP login refused by %s for mailbox %s", host, mailbox.pk)
        close_smtp(conn)
        raise _auth_failed(host) from exc
    except (MailServerError, OSError, smtplib.SMTPException) as exc:
        close_smtp(conn)
        raise explain(exc, host, port) from exc
    return conn


def _smtp_login(conn: smtplib.SMTP, user: str, password: str) -> None:
    if f"{user}{password}".isascii():
        conn.login(user, password)
        return
    # smtplib encodes credentials as ASCII; AUTH PLAIN itself is UTF-8 (RFC 4616).
    if "plain" not in conn.esmtp_features.get("auth", "").lower().split():
        raise _non_ascii_refused(conn._host)
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, reply = conn.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def close_smtp(conn: smtplib.SMTP) -> None:
    try:
        conn.quit()
    except (OSError, smtplib.SMTPException):
        conn.close()
