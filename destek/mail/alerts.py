"""Telling a workspace's admins that a mailbox can't be fetched (DESIGN §5: an outage is never
silent). The email names the mailbox and the error, never any customer's mail."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from destek.accounts.models import Membership, Role
from destek.lib.system_mail import KIND_HEADER, WORKSPACE_HEADER
from destek.mail.models import Mailbox

logger = logging.getLogger(__name__)

KIND = "mailbox-failure"


def _recipients(mailbox: Mailbox) -> list[str]:
    members = Membership.objects.for_workspace(mailbox.workspace).active()
    admins = members.filter(role=Role.ADMIN)
    # A workspace without an admin still hears about it: its owner manages the team.
    chosen = admins if admins.exists() else members.filter(role=Role.OWNER)
    return sorted(chosen.values_list("user__email", flat=True))


def _link(mailbox: Mailbox) -> str:
    slug = mailbox.workspace.slug
    try:
        path = reverse("mailbox_detail", args=[slug, mailbox.pk])
    except NoReverseMatch:
        path = reverse("workspace_home", args=[slug])
    return settings.BASE_URL + path


def notify_fetch_failing(mailbox: Mailbox) -> bool:
    """Email the admins about ``mailbox.failure_count`` failed fetches in a row and
    ``mailbox.last_error``; True when the mail went out (else the next failure tries again)."""
    recipients = _recipients(mailbox)
    if not recipients:
        return False
    with translation.override(mailbox.workspace.language):
        subject = _("E-postalar alınamıyor: %(address)s") % {"address": mailbox.address}
        body = ngettext(
            "Destek, %(address)s posta kutusundan %(count)d kez üst üste e-posta alamadı.",
            "Destek, %(address)s posta kutusundan %(count)d kez üst üste e-posta alamadı.",
            mailbox.failure_count,
        ) % {"address": mailbox.address, "count": mailbox.failure_count}
        body += "\n\n" + _("Son hata: %(error)s") % {"error": mailbox.last_error}
        body += "\n\n" + _(
            "Bağlantı düzelince bekleyen e-postalar kaldığı yerden alınır; hiçbiri kaybolmaz. "
            "Ayarları kontrol edin: %(link)s"
        ) % {"link": _link(mailbox)}
    message = EmailMessage(
        subject,
        body,
        to=recipients,
        headers={WORKSPACE_HEADER: mailbox.workspace.slug, KIND_HEADER: KIND},
    )
    try:
        message.send()
    except Exception:
        logger.exception("mailbox %s: could not email the admins about failures", mailbox.pk)
        return False
    logger.info("mailbox %s: admins emailed about failed fetches", mailbox.pk)
    return True
