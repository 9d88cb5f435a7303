"""Which ticket an incoming mail belongs to (DESIGN §5, threading), reading only.

The rules, in order; the first that names a ticket of the mailbox's workspace wins:

1. an id in ``In-Reply-To`` or anywhere in ``References`` is a Message-ID Destek signed for a
   ticket of this workspace, or one it received or sent for a ticket (``MessageEnvelope``);
2. the signed body token that Destek hides in every mail it sends appears in the text (it
   survives in the quoted part when a provider rewrites Message-IDs);
3. the subject carries the tracking code ``[DST-1042]`` **and** the sender is the ticket's
   customer or one of its participants — a stranger quoting a code gets a new ticket, so codes
   can't inject mail into someone else's conversation;
4. otherwise the mail starts a new ticket.

A match on a ticket merged into another moves on to the surviving ticket, and a match on a done
ticket that already has a follow-up moves on to the newest follow-up, so a customer answering an
old thread twice doesn't open two follow-ups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from destek.accounts.models import Workspace
from destek.mail import tokens
from destek.mail.models import MessageEnvelope, Participant
from destek.mail.parse import Address, ParsedEmail
from destek.tickets.models import Ticket
from destek.tickets.status import DONE

# Hostile mail can carry thousands of References; the nearest ones are the ones that matter.
MAX_THREAD_IDS = 100
# A chain of follow-ups longer than this is a data problem; stop following it.
_MAX_FOLLOW_UP_HOPS = 20

# Reply and forward markers mail clients put in front of a subject, Turkish ones included
# (Outlook: "YNT:" yanıt, "İLT:" ilet).
_MARKER = r"(?:re|fw|fwd|aw|wg|ynt|ilt|İlt|cevap|sv|antw|rif|odp)\s*(?:\[\d+\])?\s*:"
_REPLY_PREFIX = re.compile(rf"^\s*(?:{_MARKER}\s*)+", re.IGNORECASE)
_FIRST_MARKER = re.compile(rf"^\s*({_MARKER})", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


class ThreadRule(StrEnum):
    MESSAGE_ID = "message_id"
    BODY_TOKEN = "body_token"
    CODE = "code"
    NEW = "new"


@dataclass(frozen=True)
class ThreadMatch:
    """The ticket a mail joins (``None``: a new ticket) and the rule that decided it."""

    ticket: Ticket | None
    rule: ThreadRule


def find_ticket(workspace: Workspace, parsed: ParsedEmail) -> ThreadMatch:
    """Apply the threading rules of the module docstring to one parsed mail."""
    for rule, find in (
        (ThreadRule.MESSAGE_ID, _by_message_id),
        (ThreadRule.BODY_TOKEN, _by_body_token),
        (ThreadRule.CODE, _by_code),
    ):
        ticket = find(workspace, parsed)
        if ticket is not None:
            return ThreadMatch(_newest_follow_up(_survivor(ticket)), rule)
    return ThreadMatch(None, ThreadRule.NEW)


def customer_address(parsed: ParsedEmail) -> Address | None:
    """Who the mail is from as far as the help desk is concerned: the first Reply-To address
    when it differs from From (contact-form relays, no-reply senders), else From."""
    reply_to = next((entry for entry in parsed.reply_to if entry[1]), None)
    if reply_to is not None and reply_to[1] != parsed.from_email:
        return reply_to
    if parsed.from_email:
        return parsed.from_name, parsed.from_email
    return None


def candidate_ids(parsed: ParsedEmail) -> list[str]:
    """The ids this mail answers, nearest first: In-Reply-To, then References from the last."""
    ids = ([parsed.in_reply_to] if parsed.in_reply_to else []) + list(reversed(parsed.references))
    return list(dict.fromkeys(ids))[:MAX_THREAD_IDS]


def _first_existing(workspace: Workspace, ticket_ids: list[int]) -> Ticket | None:
    """The first of ``ticket_ids`` (in order) that is a ticket of this workspace."""
    if not ticket_ids:
        return None
    found = {
        ticket.pk: ticket
        for ticket in Ticket.objects.filter(workspace=workspace, pk__in=set(ticket_ids))
    }
    for ticket_id in ticket_ids:
        if ticket_id in found:
            found[ticket_id].workspace = workspace
            return found[ticket_id]
    return None


def _by_message_id(workspace: Workspace, parsed: ParsedEmail) -> Ticket | None:
    ids = candidate_ids(parsed)
    if not ids:
        return None
    signed = {}
    for message_id in ids:
        pair = tokens.ticket_of_message_id(message_id)
        # A valid signature from another workspace is no reason to look further at it.
        if pair is not None and pair[0] == workspace.pk:
            signed[message_id] = pair[1]
    if ids[0] in signed:
        # The usual answer: In-Reply-To is the mail we sent; no need to look up the others.
        nearest = _first_existing(workspace, [signed[ids[0]]])
        if nearest is not None:
            return nearest
    unsigned = [message_id for message_id in ids if message_id not in signed]
    known = {}
    if unsigned:
        known = dict(
            MessageEnvelope.objects.filter(
                workspace=workspace, message_id__in=unsigned
            ).values_list("message_id", "ticket_id")
        )
    ordered = [signed.get(message_id) or known.get(message_id) for message_id in ids]
    return _first_existing(workspace, [ticket_id for ticket_id in ordered if ticket_id])


def _by_body_token(workspace: Workspace, parsed: ParsedEmail) -> Ticket | None:
    pairs = tokens.tickets_of_body(parsed.text)
    if not pairs and parsed.html:
        pairs = tokens.tickets_of_body(parsed.html)
    return _first_existing(workspace, [ticket for ws, ticket in pairs if ws == workspace.pk])


def _code_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(r"\[\s*" + re.escape(prefix) + r"-(\d{1,9})\s*\]", re.IGNORECASE)


def _by_code(workspace: Workspace, parsed: ParsedEmail) -> Ticket | None:
    numbers = [int(n) for n in _code_pattern(workspace.prefix).findall(parsed.subject)]
    sender = customer_address(parsed)
    if not numbers or sender is None:
        return None
    email = sender[1]
    tickets = {
        ticket.number: ticket
        for ticket in Ticket.objects.filter(
            workspace=workspace, number__in=set(numbers)
        ).select_related("customer")
    }
    if not tickets:
        return None
    as_participant = set(
        Participant.objects.filter(
            ticket__in=list(tickets.values()), email__iexact=email
        ).values_list("ticket_id", flat=True)
    )
    for number in dict.fromkeys(numbers):
        ticket = tickets.get(number)
        if ticket is not None and (
            ticket.customer.email.lower() == email or ticket.pk in as_participant
        ):
            ticket.workspace = workspace
            return ticket
    return None


def _survivor(ticket: Ticket) -> Ticket:
    """The ticket a merged ticket was merged into (itself when not merged)."""
    for _hop in range(_MAX_FOLLOW_UP_HOPS):
        if ticket.merged_into_id is None:
            break
        survivor = Ticket.objects.filter(pk=ticket.merged_into_id).first()
        if survivor is None:
            break
        survivor.workspace = ticket.workspace
        ticket = survivor
    return ticket


def _newest_follow_up(ticket: Ticket) -> Ticket:
    for _hop in range(_MAX_FOLLOW_UP_HOPS):
        if ticket.status not in DONE:
            break
        newer = ticket.follow_ups.order_by("-created_at", "-pk").first()
        if newer is None:
            break
        newer.workspace = ticket.workspace
        ticket = newer
    return ticket


# Subjects ----------------------------------------------------------------------------------


def strip_codes(subject: str, prefix: str) -> str:
    """The subject without any ``[PREFIX-N]`` tag of this workspace: a new ticket gets its own
    code, so a quoted one must not stay behind and stack with it."""
    return _SPACES.sub(" ", _code_pattern(prefix).sub(" ", subject)).strip()


def display_subject(subject: str) -> str:
    """The subject without leading ``Re:``/``Fwd:``/``YNT:``/``İLT:`` markers, for lists."""
    return _REPLY_PREFIX.sub("", subject).strip() or subject.strip()


def subject_with_code(subject: str, code: str) -> str:
    """``subject`` carrying the tracking code exactly once: ``Re: [DST-1] [DST-1] Sipariş`` and
    ``Re: Re: Sipariş [DST-1]`` both become ``Re: [DST-1] Sipariş``. One leading reply/forward
    marker stays in front (mail clients group on it); repeated ones collapse."""
    if "[" in subject:  # (compiling the tag's pattern costs more than the rest: only if needed)
        tag = re.compile(r"\[\s*" + re.escape(code) + r"\s*\]", re.IGNORECASE)
        subject = tag.sub(" ", subject)
    rest = _SPACES.sub(" ", subject).strip()
    lead = ""
    marker = _FIRST_MARKER.match(rest)
    if marker:
        lead = marker.group(1).replace(" ", "") + " "
        # With the tags gone, "Re: [DST-1] Re: …" is a run of markers: all of them go.
        rest = _REPLY_PREFIX.sub("", rest).strip()
    return f"{lead}[{code}] {rest}".strip()
