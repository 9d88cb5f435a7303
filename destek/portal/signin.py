"""Sign-in by a one-time link sent to the customer's address (DESIGN §7).

A link is single-use, expires after :data:`LINK_LIFETIME`, and only its SHA-256 is stored. Asking
for one gives the same answer whether or not the address belongs to a customer, and is limited
per address and per IP so the form can't be used to flood someone's inbox.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from destek.accounts.models import Workspace
from destek.portal import limits, mail
from destek.portal.models import MagicLink, hash_token
from destek.tickets.models import Customer

logger = logging.getLogger(__name__)

LINK_LIFETIME = timedelta(minutes=30)
# Per address: enough for a lost mail or two; per IP: a small office behind one address.
PER_ADDRESS = (3, 15 * 60)
PER_IP = (20, 60 * 60)


class RateLimited(Exception):
    """Too many sign-in links asked for from this address or IP."""


@dataclass(frozen=True)
class IssuedLink:
    link: MagicLink
    url: str


def issue_link(
    *, customer: Customer, next_path: str = "", now: datetime | None = None
) -> IssuedLink:
    """Create a one-time link for ``customer``; the token leaves this function only in the URL."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    link = MagicLink.objects.create(
        workspace_id=customer.workspace_id,
        customer=customer,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + LINK_LIFETIME,
    )
    path = reverse(
        "portal_magic",
        kwargs={"workspace_slug": customer.workspace.slug, "token": token},
    )
    if next_path:
        path += "?" + urlencode({"next": next_path})
    return IssuedLink(link=link, url=settings.BASE_URL + path)


def request_link(*, workspace: Workspace, email: str, ip: str, next_path: str = "") -> None:
    """Mail a sign-in link to ``email`` if it is a customer of ``workspace``; raise
    :class:`RateLimited` past the limits (counted the same for known and unknown addresses)."""
    ok_address = limits.hit(
        "signin-address", f"{workspace.pk}:{email}", limit=PER_ADDRESS[0], window=PER_ADDRESS[1]
    )
    ok_ip = limits.hit("signin-ip", ip, limit=PER_IP[0], window=PER_IP[1])
    if not (ok_address and ok_ip):
        raise RateLimited
    customer = Customer.objects.filter(workspace=workspace, email__iexact=email.strip()).first()
    if customer is None:
        logger.info("portal sign-in asked for an unknown address in workspace %s", workspace.pk)
        return
    issued = issue_link(customer=customer, next_path=next_path)
    with translation.override(workspace.language):
        subject = _("%(name)s destek sayfasına giriş bağlantınız") % {"name": workspace.name}
        body = _(
            "Merhaba %(customer)s,\n\nDestek taleplerinizi görmek için aşağıdaki bağlantıyı "
            "açın. Bağlantı 30 dakika geçerlidir ve yalnızca bir kez kullanılabilir.\n\n%(url)s\n\n"
            "Bu isteği siz yapmadıysanız bu e-postayı yok sayabilirsiniz."
        ) % {"customer": customer.display_name, "url": issued.url}
    mail.send_to_customer(
        workspace=workspace,
        to=customer.email,
        subject=subject,
        body=body,
        kind="portal-signin",
        holds_sign_in_link=True,
    )


def redeem(*, workspace: Workspace, token: str, now: datetime | None = None) -> Customer | None:
    """Use up the link: its customer, or None when it is unknown, used, expired or another
    workspace's. One conditional UPDATE, so two clicks at once can't both succeed."""
    now = now or timezone.now()
    token_hash = hash_token(token)
    used = MagicLink.objects.filter(
        workspace=workspace, token_hash=token_hash, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not used:
        return None
    link = MagicLink.objects.select_related("customer").get(token_hash=token_hash)
    return link.customer


def looks_usable(*, workspace: Workspace, token: str, now: datetime | None = None) -> bool:
    """Whether the confirmation page should offer to sign in (nothing is used up by looking)."""
    return MagicLink.objects.filter(
        workspace=workspace,
        token_hash=hash_token(token),
        used_at__isnull=True,
        expires_at__gt=now or timezone.now(),
    ).exists()
