"""The satisfaction survey (CSAT): a 1–5 rating of a resolved ticket, by signed link or in the
portal; one per ticket, changeable until the ticket is closed."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from destek.accounts.models import Workspace
from destek.mail import guard
from destek.portal import mail
from destek.portal.models import SatisfactionRating
from destek.tickets.models import Ticket
from destek.tickets.status import Status

logger = logging.getLogger(__name__)

_SALT = "destek.portal.csat"
# Survey links stay valid long enough for a customer who answers late, not forever.
TOKEN_MAX_AGE = 60 * 24 * 3600


class RatingClosed(Exception):
    """The ticket is not (or no longer) resolved: its rating can't be given or changed."""


def make_token(ticket: Ticket) -> str:
    return signing.dumps({"w": ticket.workspace_id, "t": ticket.pk}, salt=_SALT, compress=True)


def ticket_from_token(workspace: Workspace, token: str) -> Ticket | None:
    try:
        data = signing.loads(token, salt=_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("w") != workspace.pk:
        return None
    return (
        Ticket.objects.filter(workspace=workspace, pk=data.get("t"))
        .select_related("customer", "workspace")
        .first()
    )


def survey_url(ticket: Ticket) -> str:
    path = reverse(
        "portal_csat",
        kwargs={"workspace_slug": ticket.workspace.slug, "token": make_token(ticket)},
    )
    return settings.BASE_URL + path


def can_rate(ticket: Ticket) -> bool:
    return ticket.status == Status.RESOLVED


def rating_of(ticket: Ticket) -> SatisfactionRating | None:
    return SatisfactionRating.objects.filter(ticket=ticket).first()


@transaction.atomic
def rate(
    *, ticket: Ticket, score: int, comment: str = "", now: datetime | None = None
) -> SatisfactionRating:
    """Store or change the ticket's one rating; :class:`RatingClosed` unless it is resolved."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not can_rate(ticket):
        raise RatingClosed
    if not 1 <= score <= 5:
        raise ValueError("score must be 1–5")
    now = now or timezone.now()
    rating, created = SatisfactionRating.objects.get_or_create(
        ticket=ticket,
        defaults={
            "workspace_id": ticket.workspace_id,
            "customer_id": ticket.customer_id,
            "score": score,
            "comment": comment.strip(),
            "created_at": now,
            "updated_at": now,
        },
    )
    if not created:
        rating.score = score
        rating.comment = comment.strip()
        rating.updated_at = now
        rating.save(update_fields=["score", "comment", "updated_at"])
    return rating


def csat_summary(workspace: Workspace, start: datetime, end: datetime) -> dict[str, object]:
    """Ratings given in ``[start, end)``: their count, the average score, the CSAT figure (the
    percentage of 4s and 5s) and how many of each score — for the reports."""
    ratings = SatisfactionRating.objects.for_workspace(workspace).filter(
        created_at__gte=start, created_at__lt=end
    )
    summary = ratings.summary()
    counts = dict.fromkeys(range(1, 6), 0)
    for score in ratings.values_list("score", flat=True):
        counts[score] += 1
    summary["distribution"] = counts
    return summary


def send_survey(ticket: Ticket) -> None:
    """Mail the customer the survey link of a ticket that was just resolved."""
    ticket = Ticket.objects.select_related("workspace", "customer").get(pk=ticket.pk)
    workspace = ticket.workspace
    if guard.is_own_address(workspace.pk, ticket.customer.email):
        return  # a ticket from our own address (a test, a forwarded mail): nobody to ask
    with translation.override(workspace.language):
        subject = _("Talebiniz çözüldü: %(code)s") % {"code": ticket.code}
        body = _(
            "Merhaba %(customer)s,\n\n%(code)s numaralı talebinizi çözüldü olarak işaretledik. "
            "Sorununuz devam ediyorsa bu e-postayı yanıtlayabilirsiniz.\n\n"
            "Yardımımızı 1–5 arası puanlar mısınız? Bir dakikanızı alır:\n%(url)s\n"
        ) % {
            "customer": ticket.customer.display_name,
            "code": ticket.code,
            "url": survey_url(ticket),
        }
    mail.send_to_customer(
        workspace=workspace,
        to=ticket.customer.email,
        subject=subject,
        body=body,
        kind="csat",
        ticket=ticket,
    )


def on_ticket_updated(
    sender: object, *, ticket: Ticket, changed: list[str], **kwargs: object
) -> None:
    """``tickets.signals.ticket_updated`` (on commit): a ticket became resolved."""
    if "status" not in changed or ticket.status != Status.RESOLVED:
        return
    try:
        send_survey(ticket)
    except Exception:
        # The resolution is committed; a survey that could not be queued must not undo it.
        logger.exception("satisfaction survey for ticket %s failed", ticket.pk)
