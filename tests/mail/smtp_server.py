"""A real SMTP server on loopback that keeps what it receives (aiosmtpd), for outbound tests.

Three modes, like the servers a business's mailbox uses: ``plain`` (port 25 style, no TLS, no
AUTH), ``starttls`` (587 style: STARTTLS required, then AUTH) and ``smtps`` (465 style: implicit
TLS, then AUTH). The certificate is self-signed for 127.0.0.1; point ``DESTEK_MAIL_CA_FILE``
(``settings.MAIL_CA_FILE``) at it so the product verifies it like any other. Optionally every
accepted message is relayed into a Dovecot over LMTP, so a test can read it back over IMAP.

Gotchas from the recipe (/work/shared/notes/mail-servers.md §4.3): a failed AUTH must return
``AuthResult(success=False, handled=False)`` or the client hangs; implicit TLS needs
``auth_require_tls=False`` (aiosmtpd only counts STARTTLS as TLS).
"""

from __future__ import annotations

import dataclasses
import smtplib
import ssl
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from destek.mail.models import Mailbox
from tests.mail.dovecot import free_port, make_self_signed_cert
from tests.mail.inbound import ADDRESS

USERNAME = "mailer@anadolu.test"
PASSWORD = "smtp-parolası-42"
SIGNATURE = "Anadolu Kahve Destek Ekibi\n0212 555 00 00"


@dataclasses.dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    login: str | None

    @property
    def message(self) -> EmailMessage:
        # As a mail client reads it: line ends in the decoded parts are plain newlines.
        return BytesParser(policy=policy.default).parsebytes(self.data.replace(b"\r\n", b"\n"))


class CaptureHandler:
    """Keeps every accepted message; optionally relays it into Dovecot over LMTP."""

    def __init__(self, relay_lmtp: tuple[str, int] | None = None) -> None:
        self.received: list[Received] = []
        self.relay_lmtp = relay_lmtp

    async def handle_DATA(self, server, session, envelope) -> str:
        data = envelope.original_content or envelope.content
        login = session.auth_data.login.decode() if session.auth_data else None
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), data, login))
        if self.relay_lmtp:
            # Blocking inside the server's loop thread: fine for a test server.
            with smtplib.LMTP(*self.relay_lmtp) as lmtp:
                lmtp.sendmail(envelope.mail_from, envelope.rcpt_tos, data)
        return "250 2.0.0 Captured"


@dataclasses.dataclass
class SmtpServer:
    host: str
    port: int
    mode: str  # "plain" | "starttls" | "smtps"
    username: str | None
    password: str | None
    handler: CaptureHandler
    controller: Controller

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    @property
    def security(self) -> str:
        """The matching ``Mailbox.smtp_security`` value."""
        return {"plain": "none", "starttls": "starttls", "smtps": "ssl"}[self.mode]

    def stop(self) -> None:
        self.controller.stop()


def _authenticator(username: str, password: str):
    def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == username
            and auth_data.password.decode() == password
        )
        if ok:
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)

    return authenticate


def start_smtp(
    mode: str = "plain",
    *,
    cert: tuple[Path, Path] | None = None,
    username: str | None = USERNAME,
    password: str | None = PASSWORD,
    relay_lmtp: tuple[str, int] | None = None,
    port: int | None = None,
) -> SmtpServer:
    handler = CaptureHandler(relay_lmtp)
    kwargs: dict = {"hostname": "127.0.0.1", "port": port or free_port()}
    if mode in ("starttls", "smtps"):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*cert)
        if mode == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        else:
            kwargs.update(ssl_context=context, auth_require_tls=False)
    if mode == "plain":
        username = password = None
    if username:
        kwargs.update(authenticator=_authenticator(username, password), auth_required=True)
    controller = Controller(handler, **kwargs)
    controller.start()
    return SmtpServer("127.0.0.1", controller.port, mode, username, password, handler, controller)


@pytest.fixture(scope="session")
def smtp_cert(tmp_path_factory) -> tuple[Path, Path]:
    return make_self_signed_cert(tmp_path_factory.mktemp("smtp-cert"))


@pytest.fixture
def trust_smtp_cert(settings, smtp_cert) -> Path:
    """The product verifies the test server's certificate like a real one."""
    settings.MAIL_CA_FILE = str(smtp_cert[0])
    return smtp_cert[0]


@pytest.fixture(params=["starttls", "smtps", "plain"])
def smtp_server(request, smtp_cert, trust_smtp_cert):
    """Each outbound test runs against all three kinds of server."""
    server = start_smtp(request.param, cert=smtp_cert)
    yield server
    server.stop()


@pytest.fixture
def smtp_starttls(smtp_cert, trust_smtp_cert):
    server = start_smtp("starttls", cert=smtp_cert)
    yield server
    server.stop()


def connect_mailbox(workspace, server: SmtpServer | None, **fields) -> Mailbox:
    """The support mailbox, sending through ``server`` (no SMTP settings when ``None``)."""
    mailbox = Mailbox(
        workspace=workspace,
        address=ADDRESS,
        display_name="Anadolu Kahve Destek",
        signature=SIGNATURE,
        acknowledge=False,
        **fields,
    )
    if server is not None:
        mailbox.smtp_host = server.host
        mailbox.smtp_port = server.port
        mailbox.smtp_security = server.security
        if server.username:
            mailbox.smtp_user = server.username
            mailbox.smtp_password = server.password
    mailbox.save()
    return mailbox


@pytest.fixture
def immediate_worker():
    """Jobs run at once in the enqueuing thread, as if a worker picked them up."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = False
