"""Mentions and followers, told after the change committed: in the app (notifications.notify)
and, for a mention, by mail too."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from destek.accounts.models import Membership, User
from destek.followers.mentions import mentioned
from destek.followers.models import Follower
from destek.lib.memo import batch_memoized, forget, remember
from destek.lib.system_mail import KIND_HEADER, WORKSPACE_HEADER
from destek.notifications import kinds
from destek.notifications.services import notify
from destek.tickets.models import Message, MessageKind, Ticket

logger = logging.getLogger(__name__)


def follow(ticket: Ticket, user: User) -> None:
    Follower.objects.get_or_create(workspace_id=ticket.workspace_id, ticket=ticket, user=user)
    forget(followers_of, ticket.pk)


@batch_memoized
def followers_of(ticket_id: int) -> frozenset[int]:
    """The users following the ticket (once per ingest batch)."""
    return frozenset(Follower.objects.filter(ticket_id=ticket_id).values_list("user_id", flat=True))


def read_followers(ticket_ids: list[int]) -> None:
    """Read the followers of many tickets in one query for the batch open now (an ingest batch
    tells the followers of every ticket it replied to)."""
    found: dict[int, set[int]] = {ticket_id: set() for ticket_id in ticket_ids}
    rows = Follower.objects.filter(ticket_id__in=ticket_ids).values_list("ticket_id", "user_id")
    for ticket_id, user_id in rows:
        found[ticket_id].add(user_id)
    for ticket_id, users in found.items():
        remember(followers_of, frozenset(users), ticket_id)


def mention(ticket: Ticket, message: Message) -> list[User]:
    """Notify (in the app and by mail) the agents a note mentions; they follow the ticket."""
    if message.kind != MessageKind.NOTE or "@" not in message.text:
        return []
    agents = [
        membership.user
        for membership in Membership.objects.for_workspace(ticket.workspace)
        .agents()
        .select_related("user")
        .order_by("user_id")
    ]
    people = [user for user in mentioned(message.text, agents) if user.pk != message.author_id]
    if not people:
        return []
    actor = message.author
    notify(recipients=people, ticket=ticket, kind=kinds.MENTIONED, actor=actor)
    for user in people:
        follow(ticket, user)
        _mail_mention(ticket, user, actor)
    return people


def _mail_mention(ticket: Ticket, user: User, actor: User | None) -> None:
    # Only the code and a link: the note itself stays behind the login.
    language = user.language or ticket.workspace.language
    url = settings.BASE_URL + reverse("ticket_detail", args=[ticket.workspace.slug, ticket.number])
    with translation.override(language):
        names = {"actor": actor.display_name if actor else _("Sistem"), "code": ticket.code}
        subject = _("[%(code)s] %(actor)s bir notta sizden bahsetti") % names
        body = _("%(actor)s, %(code)s talebindeki bir dahili notta sizden bahsetti.") % names
    EmailMessage(
        subject,
        f"{body}\n\n{url}\n",
        to=[user.email],
        headers={WORKSPACE_HEADER: str(ticket.workspace_id), KIND_HEADER: "mention"},
    ).send()


def tell_followers(ticket: Ticket, actor_id: int | None, skip: set[int]) -> None:
    followers = set(followers_of(ticket.pk)) - skip
    if actor_id is not None:
        followers.discard(actor_id)
    if followers:
        actor = User.objects.filter(pk=actor_id).first() if actor_id else None
        notify(recipients=followers, ticket=ticket, kind=kinds.FOLLOWED_UPDATE, actor=actor)


def on_message_created(sender: object, *, ticket: Ticket, message: Message, **kw: object) -> None:
    def run(ticket: Ticket) -> None:
        told = {user.pk for user in mention(ticket, message)}
        tell_followers(ticket, message.author_id, told)

    _safely(run, ticket)


def on_ticket_updated(sender: object, *, ticket: Ticket, changed: list[str], **kw: object) -> None:
    if "status" in changed or "assignee" in changed:
        event = ticket.events.order_by("-created_at", "-pk").first()
        _safely(lambda t: tell_followers(t, event.actor_id if event else None, set()), ticket)


def _safely(action: Callable[[Ticket], None], ticket: Ticket) -> None:
    # After the commit: a failed notice must not turn the request into an error.
    try:
        action(ticket)
    except Exception:
        logger.exception("follower notice for ticket %s failed", ticket.pk)
