"""Telling a workspace's admins that a webhook endpoint was switched off."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from destek.accounts.models import Membership, Role
from destek.api.models import WebhookEndpoint
from destek.lib.system_mail import KIND_HEADER, WORKSPACE_HEADER

logger = logging.getLogger(__name__)

KIND = "webhook-disabled"


def notify_disabled(endpoint: WebhookEndpoint) -> bool:
    workspace = endpoint.workspace
    recipients = sorted(
        Membership.objects.for_workspace(workspace)
        .active()
        .filter(role=Role.ADMIN)
        .values_list("user__email", flat=True)
    )
    if not recipients:
        return False
    link = settings.BASE_URL + reverse("webhook_detail", args=[workspace.slug, endpoint.pk])
    with translation.override(workspace.language):
        subject = _("Webhook kapatıldı: %(url)s") % {"url": endpoint.url}
        body = _(
            "%(url)s adresine gönderimler üst üste %(count)d kez başarısız olduğu için webhook "
            "kapatıldı. Son hata: %(reason)s\n\nAdresi düzeltip yeniden etkinleştirin; bekleyen "
            "gönderimler sırayla gönderilir: %(link)s"
        ) % {
            "url": endpoint.url,
            "count": endpoint.failure_count,
            "reason": endpoint.disabled_reason,
            "link": link,
        }
    message = EmailMessage(
        subject,
        body,
        to=recipients,
        headers={WORKSPACE_HEADER: workspace.slug, KIND_HEADER: KIND},
    )
    try:
        message.send()
    except Exception:
        logger.exception("webhook endpoint %s: could not email the admins", endpoint.pk)
        return False
    return True
