"""A copy of what the desk sent, in the mailbox's IMAP Sent folder (issue 3, optional).

A business that still opens destek@firma.com in its own mail client sees the customers' mail
there; with ``Mailbox.sent_copy`` on it sees the desk's answers beside them too. After a mail
to a customer went out (a reply, an acknowledgement, a reminder: never an agent's notification
or a sign-in link), its row is marked ``pending`` and a worker appends the same message, read,
to the Sent folder: the one named on the mailbox, or else the one the server marks ``\\Sent``
(RFC 6154). Mail holding a portal sign-in link (the portal's acknowledgement) is never copied:
the link is a credential.

The mail has left already, so a failed copy never touches the row's sending status. It is
retried with backoff like a send; the last failure stays on the row with the server's words.
A copy is claimed with a conditional UPDATE (as sending is), so two workers don't append twice.
"""

from __future__ import annotations

import imaplib
import logging
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from imapclient.exceptions import IMAPClientError
from imapclient.imapclient import SEEN, SENT

from destek.mail.compose import as_bytes, compose, load_for_compose
from destek.mail.connect import MailServerError, close_imap, open_imap
from destek.mail.models import CopyState, Mailbox, OutboundEmail, OutboundKind

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Waits after the 1st…4th failure: 2, 6, 18, 54 minutes.
RETRY_BASE_SECONDS = 120
RETRY_FACTOR = 3
CLAIM_SECONDS = 600
_SWEEP_BATCH = 500
# Mail a customer received from the business address; the rest is the desk's own business.
COPIED_KINDS = frozenset({OutboundKind.REPLY, OutboundKind.ACKNOWLEDGEMENT, OutboundKind.REMINDER})


class CopyFailure(Exception):
    """Why the copy could not be saved, in the admin's language."""


def wanted(outbound: OutboundEmail) -> bool:
    """Whether a mail that has just gone out gets a copy in the Sent folder."""
    mailbox = outbound.mailbox
    return (
        mailbox is not None
        and mailbox.sent_copy
        and mailbox.has_imap()
        and outbound.kind in COPIED_KINDS
        and not outbound.holds_sign_in_link
    )


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=RETRY_BASE_SECONDS * RETRY_FACTOR ** max(0, attempts - 1))


def claim(pk: int, *, now: datetime) -> bool:
    """Take a due copy; ``False`` when another worker has it, it is not due or not pending."""
    return bool(
        OutboundEmail.objects.filter(
            pk=pk, copy_state=CopyState.PENDING, copy_next_at__lte=now
        ).update(
            copy_attempts=F("copy_attempts") + 1,
            copy_next_at=now + timedelta(seconds=CLAIM_SECONDS),
        )
    )


def save(pk: int, *, now: datetime | None = None) -> OutboundEmail | None:
    """Append outbox row ``pk``'s mail to its mailbox's Sent folder if the copy is due; returns
    the row as it ended up, or ``None`` when it was not ours to save."""
    now = now or timezone.now()
    if not claim(pk, now=now):
        return None
    outbound = load_for_compose(pk)
    if not wanted(outbound):
        # Switched off (or the mailbox removed) since the mail went out: nothing to save.
        _finish(pk, copy_state=CopyState.NONE, copy_next_at=None, copy_error="")
        return OutboundEmail.objects.get(pk=pk)
    try:
        with translation.override(outbound.mailbox.workspace.language):
            folder = append(outbound)
    except CopyFailure as failure:
        final = outbound.copy_attempts >= MAX_ATTEMPTS
        _finish(
            pk,
            copy_state=CopyState.FAILED if final else CopyState.PENDING,
            copy_next_at=None if final else now + retry_delay(outbound.copy_attempts),
            copy_error=str(failure)[:2000],
        )
        logger.warning(
            "outbound %s: copy to the Sent folder failed (attempt %d)%s",
            pk,
            outbound.copy_attempts,
            "; giving up" if final else "",
        )
    else:
        _finish(pk, copy_state=CopyState.SAVED, copy_next_at=None, copy_error="")
        logger.info("outbound %s: copy saved in %s", pk, folder)
    return OutboundEmail.objects.get(pk=pk)


def append(outbound: OutboundEmail) -> str:
    """Append the mail, as it was sent (its Date is the time it went out), to the Sent folder;
    returns the folder's name. Raises :class:`CopyFailure`."""
    mailbox = outbound.mailbox
    try:
        data = as_bytes(compose(outbound, now=outbound.sent_at or timezone.now()))
    except OSError as exc:  # an attachment's file is gone from storage
        raise CopyFailure(_("Ek dosyası okunamadı: %(error)s") % {"error": exc}) from exc
    try:
        client = open_imap(mailbox)
    except MailServerError as exc:
        raise CopyFailure(exc.message) from exc
    try:
        folder = sent_folder(client, mailbox)
        client.append(folder, data, flags=(SEEN,), msg_time=outbound.sent_at)
    except (IMAPClientError, imaplib.IMAP4.error, OSError, EOFError) as exc:
        raise CopyFailure(
            _("%(host)s, kopyayı Gönderilmiş klasörüne eklemedi: %(error)s")
            % {"host": mailbox.imap_host, "error": exc}
        ) from exc
    finally:
        close_imap(client)
    return folder


def sent_folder(client, mailbox: Mailbox) -> str:  # noqa: ANN001 - an IMAPClient
    """The folder named on the mailbox, or the one the server marks as Sent."""
    if mailbox.sent_folder:
        if not client.folder_exists(mailbox.sent_folder):
            raise CopyFailure(
                _(
                    "IMAP sunucusunda “%(folder)s” klasörü yok; posta kutusu ayarlarında adını "
                    "düzeltin."
                )
                % {"folder": mailbox.sent_folder}  # fmt: skip
            )
        return mailbox.sent_folder
    found = client.find_special_folder(SENT)
    if found is None:
        raise CopyFailure(
            _(
                "IMAP sunucusu Gönderilmiş klasörünü bildirmiyor; posta kutusu ayarlarında "
                "klasörün adını yazın (ör. Sent, Gönderilmiş Öğeler)."
            )  # fmt: skip
        )
    return found


def _finish(pk: int, **fields: object) -> None:
    OutboundEmail.objects.filter(pk=pk, copy_state=CopyState.PENDING).update(**fields)


def sweep(*, now: datetime | None = None) -> list[int]:
    """Copies a worker should save now: due ones, and ones whose worker died mid-append (the
    claim has run out)."""
    now = now or timezone.now()
    due = OutboundEmail.objects.filter(
        copy_state=CopyState.PENDING, copy_next_at__lte=now
    ).order_by("copy_next_at", "pk")
    return list(due.values_list("pk", flat=True)[:_SWEEP_BATCH])
