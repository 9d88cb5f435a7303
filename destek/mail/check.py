"""“Test connection” (DESIGN §5 setup): IMAP and SMTP checked separately, failures named.

CONTRACT (used by the setup wizard and ``destek mailbox test``):
- ``check_imap(mailbox) -> CheckResult`` and ``check_smtp(mailbox) -> CheckResult`` where
  ``CheckResult(ok: bool, stage: str, message: str)``; stage is one of dns, connect, tls,
  starttls, auth, folder, ok; message is translated for the user.

Nothing is changed on the servers: the IMAP folder is opened read-only and no mail is sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from destek.mail.connect import (
    MailServerError,
    Stage,
    close_imap,
    close_smtp,
    explain,
    open_imap,
    open_smtp,
)
from destek.mail.models import Mailbox

# A person is waiting on the page: give up sooner than the fetcher does.
CHECK_TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    stage: str
    message: str


def _failed(error: MailServerError) -> CheckResult:
    return CheckResult(ok=False, stage=str(error.stage), message=error.message)


def check_imap(mailbox: Mailbox) -> CheckResult:
    """Resolve, connect, secure, log in and open the folder, stopping at the first failure."""
    if not mailbox.has_imap():
        return CheckResult(False, Stage.CONNECT, _("IMAP sunucusu girilmemiş."))
    try:
        client = open_imap(mailbox, timeout=CHECK_TIMEOUT_SECONDS)
    except MailServerError as error:
        return _failed(error)
    folder = mailbox.imap_folder or "INBOX"
    try:
        if not client.folder_exists(folder):
            return CheckResult(
                False, Stage.FOLDER, _("IMAP klasörü bulunamadı: %(folder)s") % {"folder": folder}
            )
        count = client.select_folder(folder, readonly=True).get(b"EXISTS", 0)
    except MailServerError as error:
        return _failed(error)
    except Exception as exc:  # noqa: BLE001 - every failure is reported, none raised to the page
        return _failed(explain(exc, mailbox.imap_host, mailbox.imap_port or 0))
    finally:
        close_imap(client)
    message = ngettext(
        "IMAP bağlantısı çalışıyor: %(folder)s klasöründe %(count)d e-posta var.",
        "IMAP bağlantısı çalışıyor: %(folder)s klasöründe %(count)d e-posta var.",
        count,
    ) % {"folder": folder, "count": count}
    return CheckResult(True, Stage.OK, message)


def check_smtp(mailbox: Mailbox) -> CheckResult:
    """Resolve, connect, secure and log in; no mail is sent."""
    if not mailbox.has_smtp():
        return CheckResult(False, Stage.CONNECT, _("SMTP sunucusu girilmemiş."))
    try:
        conn = open_smtp(mailbox, timeout=CHECK_TIMEOUT_SECONDS)
    except MailServerError as error:
        return _failed(error)
    close_smtp(conn)
    return CheckResult(
        True,
        Stage.OK,
        _("SMTP bağlantısı çalışıyor: %(address)s adresinden e-posta gönderilebilir.")
        % {"address": mailbox.address},
    )
