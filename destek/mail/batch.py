"""The batch path of ``ingest.process_many``: a batch of plain mail in a constant number of
queries (DESIGN §9), with the same result as processing it mail by mail.

What the batch's mails refer to is read once up front: which rows are still open (locked), the
content keys already processed, the customers, the envelopes the mails answer and the tickets
they name by id or by code (locked, as ``actions._lock`` would). Each mail is then planned in
Python, in the order it came, exactly as ``ingest._process_claimed`` and
``threading.find_ticket`` would decide; a new request, or a reply to an active ticket that
stays in its status, joins a *pending* group that is written with one bulk query per table.

An answer (In-Reply-To or References) to a mail of the pending group joins its ticket in the
group, even a ticket the group itself starts. A mail that refers to something the batch itself
wrote since it was read (a reply by code to a ticket of the batch, an answer to one of its
written Message-IDs, a copy of one of its mails, a customer the per-mail path touched) first has
the pending group written, then this mail's references read again, and is planned again on that
fresh state. Unusual mail — a bounce, a follow-up to a done
ticket, a reply that moves the status, a customer whose name gets filled in, a merged ticket,
unparseable mail — has the pending group written and then takes ``ingest.process`` in its own
savepoint, in the same transaction. Order is kept throughout, so ticket numbers, rate-limit
slots and on-commit receivers come out as they would mail by mail.

Receivers of the signals the actions send inside their transaction: the search index, the SLA
due times and the report figures are written here in bulk; every other receiver is called once
per row exactly as ``post_save`` / ``ticket_written`` would call it (webhooks, …), so an app
that adds one keeps working. On-commit signals (automation rules, assignment, notifications)
are sent per ticket and reply as before.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from destek.accounts.models import Workspace
from destek.followers.receivers import read_followers
from destek.lib.files import save_file
from destek.lib.markup import sanitize_html
from destek.lib.memo import batch_memoized, remember
from destek.lib.rows import copy_row, insert, new_row
from destek.lib.rows import update as update_rows
from destek.mail import guard, ingest, outbox, tokens
from destek.mail.models import (
    IgnoredReason,
    InboundEmail,
    InboundStatus,
    Mailbox,
    MessageEnvelope,
    Participant,
)
from destek.mail.parse import ParsedEmail
from destek.mail.quotes import split_reply
from destek.mail.threading import (
    ThreadRule,
    _code_pattern,
    candidate_ids,
    customer_address,
    strip_codes,
)
from destek.reports import upkeep as reports
from destek.search import receivers as search_receivers
from destek.search.documents import (
    Document,
    code_text,
    index_text,
    message_column,
    message_text,
    people_text,
)
from destek.search.engines import engine
from destek.search.index import reindex
from destek.sla import services as sla
from destek.tickets import signals
from destek.tickets.actions import _on_commit
from destek.tickets.models import (
    Attachment,
    Customer,
    EventKind,
    Message,
    MessageKind,
    Priority,
    Ticket,
    TicketEvent,
)
from destek.tickets.status import DONE, after_customer_reply

logger = logging.getLogger(__name__)

# Receivers whose work the flush does itself, in bulk (everything else is called per row).
_BULK_RECEIVERS = {
    search_receivers.on_ticket_saved,
    search_receivers.on_message_saved,
    search_receivers.on_attachment_saved,
    sla.on_ticket_written,
    reports.on_ticket_saved,
    reports.on_ticket_written,
}


class _PerMail(Exception):  # noqa: N818 - a signal to the planner, not an error
    """This mail takes the ordinary per-mail path (after the pending group is written)."""


class _Reload(Exception):  # noqa: N818
    """This mail depends on what the batch wrote: write the pending group, read this mail's
    references again, and plan it again."""


@dataclass
class _Plan:
    inbound: InboundEmail
    parsed: ParsedEmail | None = None
    attempts: int = 0
    reason: str = ""
    message: Message | None = None
    ticket: Ticket | None = None  # the ticket a reply joins
    new: Ticket | None = None  # the ticket a new request starts
    customer: Customer | None = None
    rule: str = ""
    now: datetime | None = None
    files: list[Attachment] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    fresh: bool = False  # its references were read after the batch's last write


def applies(inbounds: list[InboundEmail]) -> bool:
    """Whether ``process`` may take these mails: more than one, all of one mailbox."""
    return len(inbounds) > 1 and len({inbound.mailbox_id for inbound in inbounds}) == 1


def process(inbounds: list[InboundEmail]) -> None:
    """Process these RECEIVED mails of one mailbox, all in one transaction (a savepoint of the
    caller's, when there is one). If the batch path itself fails, its work is rolled back and
    every mail goes the per-mail way, again in one transaction."""
    saved = [_state(inbound) for inbound in inbounds]
    with guard.slots_taken() as slots:
        try:
            # Best as the outermost block: SQLite copies every page a savepoint changes into
            # its sub-journal first (a temporary file), about as many pages as the batch
            # writes, while a transaction of its own is rolled back from the WAL for free.
            with transaction.atomic():
                _Batch(inbounds).run()
            return
        except (OperationalError, InterfaceError):
            raise  # a lost or locked database: the caller's transaction rolls back
        except Exception as exc:
            # Not a mail's fault (those go the per-mail way and are quarantined there): a copy
            # processed concurrently by another worker (content-key index) or a bug of ours.
            # Mail by mail, each in its savepoint, isolates it.
            logger.warning(
                "ingest batch: %s at %s; mail by mail instead",
                type(exc).__name__,
                ingest._where(exc),
            )
    guard.give_back(slots)
    for inbound, state in zip(inbounds, saved, strict=True):
        _restore(inbound, state)
    with transaction.atomic():
        for inbound in inbounds:
            ingest.process(inbound)


_FIELDS = (
    "status",
    "reason",
    "error",
    "ticket_id",
    "ticket_message_id",
    "processed_at",
    "message_id",
    "content_key",
    "attempts",
)


def _state(inbound: InboundEmail) -> dict:
    return {name: getattr(inbound, name) for name in _FIELDS}


def _restore(inbound: InboundEmail, state: dict) -> None:
    for name, value in state.items():
        setattr(inbound, name, value)
    for cached in ("ticket", "ticket_message"):
        inbound._state.fields_cache.pop(cached, None)


def _processed_copies(
    workspace_id: int, keys: set[str], exclude: list[int]
) -> list[tuple[str, int | None, int | None]]:
    """(content key, ticket message, its ticket) of the processed mail with these content keys,
    oldest first: what ``ingest._duplicate_of`` finds, for many keys in one query."""
    quote = connection.ops.quote_name
    inbound, message = InboundEmail._meta, Message._meta
    # With an IN list SQLite prefers the (workspace, status) index, which reads every processed
    # mail of the workspace; the partial content-key index finds just these.
    hint = " INDEXED BY inbound_same_mail_processed_once" if connection.vendor == "sqlite" else ""
    sql = (
        f"SELECT i.content_key, i.ticket_message_id, m.ticket_id"  # noqa: S608
        f" FROM {quote(inbound.db_table)} AS i{hint}"
        f" LEFT JOIN {quote(message.db_table)} AS m ON m.id = i.ticket_message_id"
        f" WHERE i.workspace_id = %s AND i.status = '{InboundStatus.PROCESSED}'"
        f" AND NOT (i.content_key = '')"
        f" AND i.content_key IN ({', '.join(['%s'] * len(keys))})"
        f" AND NOT (i.id IN ({', '.join(['%s'] * len(exclude))}))"
        f" ORDER BY i.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [workspace_id, *keys, *exclude])
        return cursor.fetchall()


@batch_memoized  # receivers are connected as the apps start: looked up once per batch
def _receivers(signal: Signal, sender: type) -> list:
    sync, _async = signal._live_receivers(sender)
    return [receiver for receiver in sync if receiver not in _BULK_RECEIVERS]


class _Batch:
    def __init__(self, inbounds: list[InboundEmail]) -> None:
        self.inbounds = inbounds
        self.now = timezone.now()
        self.mailbox: Mailbox = inbounds[0].mailbox
        self.workspace: Workspace = self.mailbox.workspace
        self.own = guard.own_addresses(self.workspace.pk)
        self.pending: list[_Plan] = []
        # What the batch's own bulk writes change is kept here as it will stand: the ticket
        # each of its stored mails' Message-ID threads to (until written, a new ticket has no
        # id), and whether tickets are waiting to be written (an id or code not found may be
        # one of them).
        self.own_ids: dict[str, Ticket] = {}
        self.unsaved = False
        # What the per-mail path wrote (or what is not known here): a later mail that depends
        # on any of it is planned again on a fresh read, after the pending group is written.
        self.dirty_tickets: set[int] = set()  # tickets changed
        self.dirty_ids: set[str] = set()  # Message-IDs of the batch's mail
        self.dirty_keys: set[str] = set()  # content keys of the batch's mail
        self.dirty_senders: set[str] = set()  # customers the per-mail path may have changed
        self.made_tickets = False  # an id or code not found may be a ticket made since
        self.new_customers: dict[str, Customer] = {}
        self.duplicates: dict[str, tuple[int | None, int | None]] = {}
        self.customers: dict[str, Customer] = {}
        self.envelopes: dict[str, int] = {}
        self.tickets: dict[int, Ticket] = {}
        self.numbers: dict[int, Ticket] = {}  # the pending group's new tickets too
        self.participants: dict[int, set[str]] = {}
        # The participants of the pending group's new tickets, by id() of the ticket.
        self.pending_participants: dict[int, set[str]] = {}
        # The last ticket number given out, while the workspace's counter is known.
        self.last_number: int | None = None

    # --- reading up front -------------------------------------------------------------------

    def run(self) -> None:
        with translation.override(self.workspace.language):
            self._remember_settings()
            plans = self._claim()
            self._load(plans)
            for plan in plans:
                self._plan(plan)
            self.flush()

    def _remember_settings(self) -> None:
        """The SLA policies and business calendar as pages get them: kept per process by the
        workspace's settings version (accounts.settings_cache), which is read here, in the
        batch's transaction, so they are as new as the tables. Four reads fewer per batch, and
        the calendar's working days stay worked out from one batch to the next."""
        workspace = self.workspace
        current = copy_row(workspace)
        current.settings_version, current.time_zone = (
            Workspace.objects.filter(pk=workspace.pk)
            .values_list("settings_version", "time_zone")
            .get()
        )
        setup = sla.SlaSetup.for_page(current)
        remember(sla.setup_for, setup, workspace)
        remember(sla.load_calendar, setup.calendar, workspace)

    def _claim(self) -> list[_Plan]:
        # Locked like process()'s claiming UPDATE: a second worker waits for our commit, then
        # finds the rows done (PostgreSQL row locks; SQLite's transaction holds the write lock).
        rows = {
            row[0]: row[1:]
            for row in InboundEmail.objects.select_for_update()
            .filter(pk__in=[inbound.pk for inbound in self.inbounds])
            .values_list("pk", "status", "attempts", "reason", "error", "ticket", "ticket_message")
        }
        plans = []
        for inbound in self.inbounds:
            status, attempts, reason, error, ticket_id, message_id = rows[inbound.pk]
            if status not in ingest._OPEN:
                inbound.status, inbound.reason, inbound.error = status, reason, error
                inbound.ticket_id, inbound.ticket_message_id = ticket_id, message_id
                continue
            plan = _Plan(inbound, attempts=attempts)
            try:
                plan.parsed = ingest._parse(inbound)
            except Exception:
                plan.parsed = None  # the per-mail path quarantines it with its reason
            plans.append(plan)
        return plans

    def _load(self, plans: list[_Plan]) -> None:
        """Read what the batch's mails refer to, once for all of them."""
        self._read([plan for plan in plans if plan.parsed is not None])

    def _read(self, plans: list[_Plan]) -> None:
        workspace = self.workspace
        keys = {plan.inbound.content_key for plan in plans if plan.inbound.content_key}
        for key in keys:
            self.duplicates.pop(key, None)
        if keys:
            rows = _processed_copies(workspace.pk, keys, [plan.inbound.pk for plan in plans])
            for key, message_id, ticket_id in rows:
                self.duplicates.setdefault(key, (message_id, ticket_id))
        emails = set()
        for plan in plans:
            sender = customer_address(plan.parsed)
            if sender is not None:
                emails.add(sender[1].strip().lower())
        for email in emails:
            self.customers.pop(email, None)
        if emails:
            self.customers.update(
                (customer.email, customer)
                for customer in Customer.objects.filter(workspace=workspace, email__in=emails)
            )
        unsigned, ticket_ids, numbers = set(), set(), set()
        pattern = _code_pattern(workspace.prefix)
        for plan in plans:
            mail = plan.parsed
            for message_id in candidate_ids(mail):
                pair = tokens.ticket_of_message_id(message_id)
                if pair is None:
                    unsigned.add(message_id)
                elif pair[0] == workspace.pk:
                    ticket_ids.add(pair[1])
            for text in (mail.text, mail.html or ""):
                ticket_ids.update(t for ws, t in tokens.tickets_of_body(text) if ws == workspace.pk)
            numbers.update(int(n) for n in pattern.findall(mail.subject))
        for message_id in unsigned:
            self.envelopes.pop(message_id, None)
        if unsigned:
            self.envelopes.update(
                MessageEnvelope.objects.filter(
                    workspace=workspace, message_id__in=unsigned
                ).values_list("message_id", "ticket_id")
            )
            ticket_ids.update(self.envelopes[m] for m in unsigned if m in self.envelopes)
        for ticket_id in ticket_ids:
            self.tickets.pop(ticket_id, None)
        for number in numbers:
            self.numbers.pop(number, None)
        if ticket_ids or numbers:
            # Locked as actions._lock would lock the ticket a reply joins.
            # Each branch of the OR by its own index (SQLite would scan the workspace's
            # tickets for "workspace AND (pk IN … OR number IN …)").
            found = (
                Ticket.objects.select_for_update(of=("self",))
                .select_related("customer")
                .filter(
                    Q(workspace=workspace, pk__in=ticket_ids)
                    | Q(workspace=workspace, number__in=numbers)
                )
            )
            for ticket in found:
                ticket.workspace = workspace
                self.tickets[ticket.pk] = ticket
                self.numbers[ticket.number] = ticket
            by_code = [t.pk for n, t in self.numbers.items() if n in numbers]
            for ticket_id in by_code:
                self.participants.pop(ticket_id, None)
            if by_code:
                for ticket_id, email in Participant.objects.filter(
                    ticket_id__in=by_code
                ).values_list("ticket_id", "email"):
                    self.participants.setdefault(ticket_id, set()).add(email)
        # What was just read is what the database holds.
        self.dirty_ids -= unsigned
        self.dirty_keys -= keys
        self.dirty_senders -= emails
        self.dirty_tickets -= {ticket.pk for ticket in found} if ticket_ids or numbers else set()

    # --- planning one mail ------------------------------------------------------------------

    def _plan(self, plan: _Plan) -> None:
        try:
            # At most one of each: once flushed nothing is pending, once read nothing is stale.
            for _attempt in range(3):
                try:
                    self._classify(plan)
                    break
                except _Reload as why:
                    logger.debug("inbound %s: read again (%s)", plan.inbound.pk, why)
                    self.flush()
                    self._read([plan])
                    plan.fresh = True
        except _PerMail as why:
            logger.debug("inbound %s: mail by mail (%s)", plan.inbound.pk, why)
            self._per_mail(plan)
            return
        message_id = plan.parsed.message_id
        if plan.customer is not None and message_id:
            # Its envelope will thread answers to its ticket, unless the id is already known
            # for another mail (then the database's pick decides, on a fresh read).
            if message_id in self.envelopes or message_id in self.own_ids:
                self.dirty_ids.add(message_id)
            self.own_ids[message_id] = plan.new or plan.ticket
        if plan.inbound.content_key:
            self.dirty_keys.add(plan.inbound.content_key)
        emails = {row.email for row in plan.participants}
        if plan.ticket is not None and plan.ticket.pk in self.participants:
            self.participants[plan.ticket.pk].update(emails)
        elif plan.ticket is not None and plan.ticket.pk is None:
            self.pending_participants[id(plan.ticket)].update(emails)
        if plan.new is not None:
            self.unsaved = True
            # Numbered now, so that a reply by its code joins it in the group.
            plan.new.number = self._next_number()
            self.numbers[plan.new.number] = plan.new
            self.pending_participants[id(plan.new)] = emails
        self.pending.append(plan)

    def _next_number(self) -> int:
        if self.last_number is None:
            # The workspace row stays locked until commit, as the counter's UPDATE would lock
            # it: no other transaction gives out a number meanwhile (SQLite: the batch holds the
            # write lock already).
            self.last_number = (
                Workspace.objects.select_for_update()
                .filter(pk=self.workspace.pk)
                .values_list("ticket_counter", flat=True)
                .get()
            )
        self.last_number += 1
        return self.last_number

    def _per_mail(self, plan: _Plan) -> None:
        self.flush()
        inbound, parsed = plan.inbound, plan.parsed
        ingest.process(inbound)
        self.made_tickets = True
        self.last_number = None  # the per-mail path numbers its tickets itself
        if inbound.ticket_id:
            self.dirty_tickets.add(inbound.ticket_id)
        if parsed is None:
            return
        if parsed.message_id:
            self.dirty_ids.add(parsed.message_id)
        if inbound.content_key:
            self.dirty_keys.add(inbound.content_key)
        sender = customer_address(parsed)
        if sender is not None:
            self.dirty_senders.add(sender[1].strip().lower())
        # A follow-up also writes on the ticket it follows; Cc people join tickets.
        self.dirty_tickets |= self._referenced(parsed)

    def _referenced(self, parsed: ParsedEmail) -> set[int]:
        ids = set()
        for message_id in candidate_ids(parsed):
            pair = tokens.ticket_of_message_id(message_id)
            if pair is not None and pair[0] == self.workspace.pk:
                ids.add(pair[1])
            elif message_id in self.own_ids and self.own_ids[message_id].pk is not None:
                ids.add(self.own_ids[message_id].pk)
            elif message_id in self.envelopes:
                ids.add(self.envelopes[message_id])
        ids.update(t for ws, t in tokens.tickets_of_body(parsed.text) if ws == self.workspace.pk)
        for number in _code_pattern(self.workspace.prefix).findall(parsed.subject):
            ticket = self.numbers.get(int(number))
            if ticket is not None:
                ids.add(ticket.pk)
        return ids

    def _stale(self, plan: _Plan, written: bool, why: str) -> None:
        """Read again what the batch ``written`` since it was read (once per mail)."""
        if written and not plan.fresh:
            raise _Reload(why)

    def _classify(self, plan: _Plan) -> None:
        parsed, inbound, mailbox = plan.parsed, plan.inbound, self.mailbox
        plan.reason, plan.message, plan.ticket, plan.new, plan.customer = "", None, None, None, None
        plan.files, plan.participants = [], []
        if parsed is None or parsed.is_bounce:
            raise _PerMail("bounce-or-unparsed")
        key = inbound.content_key
        self._stale(plan, key in self.dirty_keys, "a copy of a mail of this batch")
        if mailbox.only_addressed and mailbox.address.lower() not in {
            address for _name, address in parsed.to + parsed.cc
        }:
            plan.reason = IgnoredReason.NOT_ADDRESSED
            return
        if ingest._is_own_mail(self.workspace.pk, parsed, self.own):
            plan.reason = IgnoredReason.LOOP
            return
        if key and key in self.duplicates:
            message_id, ticket_id = self.duplicates[key]
            if message_id is not None:
                plan.reason = IgnoredReason.DUPLICATE
                plan.message = Message(pk=message_id, ticket_id=ticket_id)
                return
        sender = customer_address(parsed)
        if sender is None or len(sender[1]) > ingest._MAX_ADDRESS:
            raise _PerMail("no-sender")  # quarantined with its reason by the per-mail path
        name, email = sender[0][:200], sender[1].strip().lower()
        self._stale(plan, email in self.dirty_senders, "the sender's customer was written")
        customer = self.customers.get(email) or self.new_customers.get(email)
        if customer is None:
            customer = Customer(workspace=self.workspace, email=email, name=name.strip())
        elif name and not customer.name:
            raise _PerMail("customer-name")  # get_or_create_customer fills the name in
        plan.customer = customer
        # The batch's moment, as a database's now() is its transaction's: the tickets it
        # creates share their due-time computation (per priority).
        plan.now = self.now
        match, plan.rule = self._thread(plan, parsed, sender)
        if match is None:
            plan.new = self._new_ticket(plan)
        else:
            plan.ticket = match
        plan.message = self._message(plan)
        # Nothing below raises: from here on the mail is the pending group's.
        if customer.pk is None:
            self.new_customers[email] = customer
        plan.participants = [
            new_row(
                Participant,
                workspace_id=self.workspace.pk,
                ticket=plan.new or match,
                email=address,
                name=n,
            )
            for address, n in ingest._participants(parsed, self.own | {customer.email}).items()
        ]

    def _thread(
        self, plan: _Plan, parsed: ParsedEmail, sender: tuple[str, str]
    ) -> tuple[Ticket | None, str]:
        """``threading.find_ticket`` over what was read up front; _PerMail where that is not
        enough to know the answer."""
        workspace = self.workspace
        ids = candidate_ids(parsed)
        if ids:
            answers = any(message_id in self.dirty_ids for message_id in ids)
            self._stale(plan, answers, "answers a mail of this batch")
            signed = {}
            for message_id in ids:
                pair = tokens.ticket_of_message_id(message_id)
                if pair is not None and pair[0] == workspace.pk:
                    signed[message_id] = pair[1]
            if ids[0] in signed:
                nearest = self._first(plan, [signed[ids[0]]])
                if nearest is not None:
                    return self._match(plan, nearest), ThreadRule.MESSAGE_ID
            for message_id in ids:
                found = self._by_id(plan, message_id, signed.get(message_id))
                if found is not None:
                    return self._match(plan, found), ThreadRule.MESSAGE_ID
        pairs = tokens.tickets_of_body(parsed.text)
        if not pairs and parsed.html:
            pairs = tokens.tickets_of_body(parsed.html)
        found = self._first(plan, [ticket for ws, ticket in pairs if ws == workspace.pk])
        if found is not None:
            return self._match(plan, found), ThreadRule.BODY_TOKEN
        numbers = [int(n) for n in _code_pattern(workspace.prefix).findall(parsed.subject)]
        if numbers:
            email = sender[1]
            if not email.isascii():
                raise _PerMail("non-ascii-sender")  # the database's case-insensitive match decides
            tickets = {}
            for number in set(numbers):
                ticket = self.numbers.get(number)  # a ticket of the pending group too
                self._stale(plan, ticket is None and self.made_tickets, "a code the batch made")
                # Participants: the batch may have added some.
                self._stale(plan, ticket is not None and ticket.pk in self.dirty_tickets, "code")
                if ticket is not None:
                    tickets[number] = ticket
            for number in dict.fromkeys(numbers):
                ticket = tickets.get(number)
                if ticket is None:
                    continue
                if ticket.pk is None:
                    participants = self.pending_participants[id(ticket)]
                else:
                    participants = self.participants.get(ticket.pk, set())
                if not all(p.isascii() for p in participants):
                    raise _PerMail("non-ascii-participant")
                participants = {p.lower() for p in participants}
                if ticket.customer.email.lower() == email or email.lower() in participants:
                    return self._match(plan, ticket), ThreadRule.CODE
        return None, ThreadRule.NEW

    def _by_id(self, plan: _Plan, message_id: str, signed: int | None) -> Ticket | None:
        """The ticket one of the ids a mail answers names (``threading._by_message_id``)."""
        if signed is not None:
            return self._first(plan, [signed])
        own = self.own_ids.get(message_id)
        if own is not None:
            if own.pk is None:
                # A ticket the pending group starts: the reply joins it in the same group (the
                # ticket's row receivers run before the reply's, as mail by mail).
                return own
            # A mail of this batch: its ticket as it now stands here (read again, perhaps).
            return self.tickets.get(own.pk)
        ticket_id = self.envelopes.get(message_id)
        return self._first(plan, [ticket_id]) if ticket_id else None

    def _first(self, plan: _Plan, ticket_ids: list[int]) -> Ticket | None:
        """The first of ``ticket_ids`` that is a ticket (``threading._first_existing``)."""
        for ticket_id in ticket_ids:
            ticket = self.tickets.get(ticket_id)
            if ticket is not None:
                return ticket
            made = self.made_tickets or self.unsaved
            self._stale(plan, made, "a ticket the batch made, perhaps")
        return None

    def _match(self, plan: _Plan, ticket: Ticket) -> Ticket:
        self._stale(plan, ticket.pk in self.dirty_tickets, "a ticket the batch wrote")
        if ticket.merged_into_id is not None:
            raise _PerMail("merged")
        if ticket.status in DONE:
            raise _PerMail("done-ticket")  # a follow-up, or a reopen
        return ticket

    def _new_ticket(self, plan: _Plan) -> Ticket:
        parsed = plan.parsed
        subject = strip_codes(parsed.subject, self.workspace.prefix) or _("(Konusuz)")
        # As actions.create_ticket fills it for a customer's mail (no category, no follow-up).
        return new_row(
            Ticket,
            workspace=self.workspace,
            subject=subject.strip()[:255],
            customer=plan.customer,
            priority=Priority.P2,
            created_at=plan.now,
            updated_at=plan.now,
            last_customer_activity_at=plan.now,
        )

    def _message(self, plan: _Plan) -> Message:
        parsed = plan.parsed
        ticket = plan.new or plan.ticket
        if plan.ticket is not None:
            outcome = after_customer_reply(
                ticket.status,
                resolved_at=ticket.resolved_at,
                now=plan.now,
                reopen_window=timedelta(days=ticket.workspace.auto_close_days),
            )
            if outcome.follow_up or outcome.status != ticket.status:
                raise _PerMail("status-moves")  # the status moves: events, SLA, reopen count
        visible, quoted = split_reply(parsed.text)
        message = new_row(
            Message,
            workspace=self.workspace,
            ticket=ticket,
            kind=MessageKind.CUSTOMER,
            customer=plan.customer,
            text=parsed.text,
            html=sanitize_html(parsed.html) if parsed.html else "",
            visible_text=visible if quoted else "",
            created_at=plan.now,
        )
        for attachment in parsed.attachments:
            data = attachment.data
            row = new_row(
                Attachment,
                workspace_id=self.workspace.pk,
                message=message,
                filename=(attachment.filename or "dosya")[:255],
                content_type=(attachment.content_type or "application/octet-stream")[:120],
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                inline=attachment.inline,
                content_id=(attachment.content_id or "")[:255],
            )
            save_file(row, "file", row.filename, data)
            plan.files.append(row)
        return message

    # --- writing the pending group ----------------------------------------------------------

    def flush(self) -> None:
        plans, self.pending = self.pending, []
        if not plans:
            return
        workspace = self.workspace
        stored = [plan for plan in plans if plan.customer is not None]
        new = [plan for plan in stored if plan.new is not None]
        replies = [plan for plan in stored if plan.ticket is not None]
        customers = list(self.new_customers.values())
        self.new_customers = {}
        if customers:
            insert(customers)
            for customer in customers:
                self.customers[customer.email] = customer
                self._saved(Customer, customer)
        self.pending_participants = {}
        if new:
            # The numbers were given out as the mails were planned.
            Workspace.objects.filter(pk=workspace.pk).update(ticket_counter=self.last_number)
            for plan in new:
                plan.new.customer = plan.customer  # now with its id
                sla.set_new_ticket_fields(plan.new, now=plan.now)
            insert([plan.new for plan in new])
            self.unsaved = False
            for plan in new:
                plan.new.workspace = workspace
                self.tickets[plan.new.pk] = self.numbers[plan.new.number] = plan.new
                self.participants[plan.new.pk] = set()
                self._saved(Ticket, plan.new)
        latest: dict[int, Ticket] = {}
        for plan in replies:
            # Its own copy, as a fresh read would give it after the replies before it: the
            # signals of those mails keep the instance they were given.
            plan.ticket = copy_row(latest.get(plan.ticket.pk, plan.ticket))
            after = latest[plan.ticket.pk] = copy_row(plan.ticket)
            after.last_customer_activity_at = after.updated_at = plan.now
        for after in latest.values():  # what later mail of the batch finds
            self.tickets[after.pk] = self.numbers[after.number] = after
        for plan in stored:
            plan.message.ticket = plan.new or plan.ticket
            plan.message.customer = plan.customer
        insert([plan.message for plan in stored])
        files = [row for plan in stored for row in plan.files]
        for row in files:
            row.message = row.message  # sets message_id from the saved message
        insert(files)
        events = {
            id(plan): new_row(
                TicketEvent,
                workspace_id=workspace.pk,
                ticket=plan.new,
                kind=EventKind.CREATED,
                new_value=plan.new.code[:255],
                created_at=plan.now,
            )
            for plan in new
        }
        insert(list(events.values()))

        # The index, as the search receivers would write it row by row: a new ticket's document
        # with its first message already appended, the others' messages appended.
        appended: dict[int, dict[str, list[str]]] = {}
        rows = []
        for plan in stored:
            ticket_id = plan.message.ticket_id
            column = message_column(plan.message.kind)
            text = message_text(plan.message.text, plan.message.visible_text)
            pieces = [(column, index_text(text))]
            pieces.extend(("files", index_text(row.filename)) for row in plan.files)
            if plan.new is not None:
                for name, words in pieces:
                    appended.setdefault(ticket_id, {}).setdefault(name, []).append(words)
            else:
                rows.extend((ticket_id, name, words) for name, words in pieces)
        documents = [
            Document(
                plan.new.pk,
                workspace.pk,
                code_text(workspace.prefix, plan.new.number),
                plan.new.subject,
                people_text(plan.customer.name, plan.customer.email),
                appended=appended.get(plan.new.pk, {}),
            )
            for plan in new
        ]
        engine().put(documents, fresh=True)  # new ids: no document to replace
        missing = engine().append_many(rows)
        if missing:
            reindex(sorted(missing))

        insert([ingest._envelope_row(plan.inbound, plan.parsed, plan.message) for plan in stored])
        participants = [row for plan in stored for row in plan.participants]
        for row in participants:
            row.ticket = row.ticket  # the ticket's id, now that it has one
        Participant.objects.bulk_create(participants, ignore_conflicts=True)
        for row in participants:
            if row.ticket_id in self.participants:
                self.participants[row.ticket_id].add(row.email)
        acks = {}
        for plan in new:  # in order: each takes its sender's rate-limit slot
            plan.new.first_message = plan.message
            ack = outbox.acknowledgement(ticket=plan.new, inbound=plan.inbound, parsed=plan.parsed)
            if ack is not None:
                acks[id(plan)] = ack
        insert(list(acks.values()))

        # Every other receiver, row by row in the order the actions save the rows, and the
        # on-commit signals in the order the mails came.
        for plan in stored:
            self._saved(Message, plan.message)
            for row in plan.files:
                self._saved(Attachment, row)
            if plan.new is not None:
                self._saved(TicketEvent, events[id(plan)])
                self._written(plan.new, plan.now, ["created"])
                _on_commit(signals.ticket_created, ticket=plan.new, message=plan.message)
                if id(plan) in acks:
                    outbox.send_after_commit(acks[id(plan)])
            else:
                ticket = plan.ticket
                ticket.last_customer_activity_at = plan.now
                ticket.updated_at = plan.now
                _on_commit(signals.message_created, ticket=ticket, message=plan.message)
        if replies:
            # Each reply tells its ticket's followers after the commit: one read for all.
            read_followers(sorted({plan.ticket.pk for plan in replies}))
            update_rows(
                [plan.ticket for plan in replies], ["last_customer_activity_at", "updated_at"]
            )
            for plan in replies:
                self._saved(Ticket, plan.ticket, created=False)
        # The report figures and tallies of every ticket the group wrote, as they now stand.
        written = {t.pk: t for t in [plan.new or plan.ticket for plan in stored]}
        reports.refresh_many(list(written.values()), created={plan.new.pk for plan in new})

        finished = []
        for plan in plans:
            inbound = plan.inbound
            inbound.status = InboundStatus.IGNORED if plan.reason else InboundStatus.PROCESSED
            inbound.reason = plan.reason
            inbound.error = ""
            inbound.ticket_message = plan.message
            inbound.ticket_id = plan.message.ticket_id if plan.message is not None else None
            inbound.processed_at = timezone.now()
            inbound.attempts = plan.attempts + 1
            finished.append(inbound)
            if plan.customer is not None:
                logger.info(
                    "inbound %s: %s by rule %s",
                    inbound.pk,
                    "new" if plan.new is not None else "joined",
                    plan.rule,
                )
        update_rows(finished, [*_FIELDS[:3], "ticket", "ticket_message", *_FIELDS[5:]])

    def _saved(self, model: type, instance: object, *, created: bool = True) -> None:
        for receiver in _receivers(post_save, model):
            receiver(
                signal=post_save,
                sender=model,
                instance=instance,
                created=created,
                update_fields=None,
                raw=False,
                using="default",
            )

    def _written(self, ticket: Ticket, now: datetime, changed: list[str]) -> None:
        for receiver in _receivers(signals.ticket_written, Ticket):
            receiver(
                signal=signals.ticket_written,
                sender=Ticket,
                ticket=ticket,
                changed=changed,
                now=now,
            )
