"""Every change to a ticket goes through one of these named actions (STYLE §3).

Each takes keyword-only arguments, runs in one transaction, writes a ``TicketEvent`` for what
changed and tells the rest of the system through signals sent on commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from destek.accounts.models import Membership, User, Workspace
from destek.lib.files import save_file
from destek.lib.markup import markdown_to_html, sanitize_html
from destek.tickets import signals
from destek.tickets.models import (
    Attachment,
    Category,
    Customer,
    EventKind,
    Message,
    MessageKind,
    Organization,
    Priority,
    Tag,
    Team,
    Ticket,
    TicketEvent,
)
from destek.tickets.status import (
    ACTIVE,
    DONE,
    Status,
    TransitionError,
    after_agent_reply,
    after_claim,
    after_customer_reply,
    check_transition,
    is_reopen,
)


class ActionError(ValueError):
    """A request the rules refuse; the message is for the person who asked."""


def _event(
    ticket: Ticket,
    actor: User | None,
    kind: str,
    old: object = "",
    new: object = "",
    at: datetime | None = None,
    via_rule: str = "",
) -> TicketEvent:
    return TicketEvent.objects.create(
        workspace_id=ticket.workspace_id,
        ticket=ticket,
        actor=actor,
        kind=kind,
        old_value=str(old or "")[:255],
        new_value=str(new or "")[:255],
        via_rule=via_rule[:120],
        created_at=at or timezone.now(),
    )


def _on_commit(signal, **kwargs: object) -> None:
    transaction.on_commit(lambda: signal.send(sender=Ticket, **kwargs))


def _written(ticket: Ticket, now: datetime, *changed: str) -> None:
    signals.ticket_written.send(sender=Ticket, ticket=ticket, changed=list(changed), now=now)


def _next_number(workspace: Workspace) -> int:
    # The UPDATE takes the row (PostgreSQL) or database (SQLite) write lock until commit, so two
    # transactions can never read the same number, and a rollback gives the number back.
    Workspace.objects.filter(pk=workspace.pk).update(ticket_counter=F("ticket_counter") + 1)
    return Workspace.objects.filter(pk=workspace.pk).values_list("ticket_counter", flat=True).get()


def get_or_create_customer(*, workspace: Workspace, email: str, name: str = "") -> Customer:
    email = email.strip().lower()
    customer, created = Customer.objects.get_or_create(
        workspace=workspace, email=email, defaults={"name": name.strip()}
    )
    if not created and name and not customer.name:
        customer.name = name.strip()
        customer.save(update_fields=["name"])
    return customer


def _name_key(name: str) -> str:
    # SQLite's case-insensitive match only folds ASCII, and Turkish has two i's: compare in
    # Python with İ/I/ı all read as "i", so "KAYA İNŞAAT" and "Kaya inşaat" are one organization.
    return name.translate(str.maketrans("İIı", "iii")).casefold().strip()


def _organization_named(workspace_id: int, name: str) -> Organization:
    key = _name_key(name)
    names = Organization.objects.filter(workspace_id=workspace_id).values_list("pk", "name")
    for pk, existing in names.iterator():
        if _name_key(existing) == key:
            return Organization.objects.get(pk=pk)
    return Organization.objects.create(workspace_id=workspace_id, name=name[:200])


@transaction.atomic
def update_customer(
    *,
    customer: Customer,
    name: str,
    phone: str = "",
    notes: str = "",
    organization_name: str = "",
) -> Customer:
    """Correct a customer's details; the organization is found or created by name in the
    customer's workspace (blank removes it). The email is the identity and does not change."""
    organization_name = organization_name.strip()
    customer.name = name.strip()[:200]
    customer.phone = phone.strip()[:40]
    customer.notes = notes.strip()
    customer.organization = (
        _organization_named(customer.workspace_id, organization_name) if organization_name else None
    )
    customer.save(update_fields=["name", "phone", "notes", "organization"])
    return customer


@dataclass(frozen=True)
class FileData:
    """A file that arrived as bytes rather than as an upload: an email's attachment or inline
    image (``content_id`` is what the mail's HTML refers to as ``cid:``)."""

    name: str
    content_type: str
    data: bytes
    inline: bool = False
    content_id: str = ""


def store_attachments(
    message: Message, files: Iterable[UploadedFile | FileData]
) -> list[Attachment]:
    stored = []
    for upload in files:
        if isinstance(upload, FileData):
            data, inline, content_id = upload.data, upload.inline, upload.content_id
        else:
            data, inline, content_id = upload.read(), False, ""
        attachment = Attachment(
            workspace_id=message.workspace_id,
            message=message,
            filename=(upload.name or "dosya")[:255],
            content_type=(getattr(upload, "content_type", None) or "application/octet-stream")[
                :120
            ],
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            inline=inline,
            content_id=content_id[:255],
        )
        save_file(attachment, "file", attachment.filename, data)
        attachment.save()
        stored.append(attachment)
    return stored


@transaction.atomic
def create_ticket(
    *,
    workspace: Workspace,
    customer: Customer,
    subject: str,
    text: str,
    html: str = "",
    actor: User | None = None,
    priority: str | None = None,
    category: Category | None = None,
    files: Sequence[UploadedFile | FileData] = (),
    follow_up_of: Ticket | None = None,
    created_at: datetime | None = None,
    visible_text: str = "",
) -> Ticket:
    """A new ticket with its first customer message; ``actor`` is the agent who typed it in
    (a phone call), ``None`` when the customer wrote. ``visible_text`` is the new part of an
    emailed text ("" shows all of it)."""
    now = created_at or timezone.now()
    if priority is None:
        priority = (category.default_priority if category else "") or Priority.P2
    ticket = Ticket.objects.create(
        workspace=workspace,
        number=_next_number(workspace),
        subject=subject.strip()[:255],
        customer=customer,
        priority=priority,
        category=category,
        follow_up_of=follow_up_of,
        created_at=now,
        updated_at=now,
        last_customer_activity_at=now,
    )
    ticket.workspace = workspace
    message = Message.objects.create(
        workspace=workspace,
        ticket=ticket,
        kind=MessageKind.CUSTOMER,
        author=actor,
        customer=customer,
        text=text,
        html=sanitize_html(html) if html else "",
        visible_text=visible_text,
        created_at=now,
    )
    store_attachments(message, files)
    _event(ticket, actor, EventKind.CREATED, new=ticket.code, at=now)
    if follow_up_of is not None:
        _event(follow_up_of, actor, EventKind.FOLLOW_UP, new=ticket.code, at=now)
    _written(ticket, now, "created")
    _on_commit(signals.ticket_created, ticket=ticket, message=message)
    ticket.first_message = message  # spares callers (mail ingestion) a query for it
    return ticket


@transaction.atomic
def add_customer_message(
    *,
    ticket: Ticket,
    customer: Customer,
    text: str,
    html: str = "",
    files: Sequence[UploadedFile | FileData] = (),
    now: datetime | None = None,
    visible_text: str = "",
) -> Message:
    """A customer's reply: lands on the ticket, or on a new follow-up when the ticket is done."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    outcome = after_customer_reply(
        ticket.status,
        resolved_at=ticket.resolved_at,
        now=now,
        reopen_window=timedelta(days=ticket.workspace.auto_close_days),
    )
    if outcome.follow_up:
        follow_up = create_ticket(
            workspace=ticket.workspace,
            customer=customer,
            subject=ticket.subject,
            text=text,
            html=html,
            files=files,
            follow_up_of=ticket,
            created_at=now,
            priority=ticket.priority,
            category=ticket.category,
            visible_text=visible_text,
        )
        return follow_up.messages.get()
    message = Message.objects.create(
        workspace_id=ticket.workspace_id,
        ticket=ticket,
        kind=MessageKind.CUSTOMER,
        customer=customer,
        text=text,
        html=sanitize_html(html) if html else "",
        visible_text=visible_text,
        created_at=now,
    )
    store_attachments(message, files)
    moved = outcome.status != ticket.status
    if moved:
        _set_status(ticket, None, outcome.status, now)
    ticket.last_customer_activity_at = now
    ticket.updated_at = now
    ticket.save()
    if moved:
        _written(ticket, now, "status")
    _on_commit(signals.message_created, ticket=ticket, message=message)
    return message


def _set_status(
    ticket: Ticket, actor: User | None, status: str, now: datetime, via_rule: str = ""
) -> None:
    old = ticket.status
    if is_reopen(old, status):
        ticket.reopen_count += 1
        _event(ticket, actor, EventKind.REOPENED, old, status, at=now, via_rule=via_rule)
    ticket.status = status
    if status == Status.RESOLVED:
        ticket.resolved_at = now
    elif status == Status.CLOSED:
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    elif status in ACTIVE:
        ticket.resolved_at = None
    _event(ticket, actor, EventKind.STATUS, old, status, at=now, via_rule=via_rule)


def _lock(ticket: Ticket) -> Ticket:
    """The ticket re-read under a row lock, so concurrent changes apply one after the other."""
    return Ticket.objects.select_for_update().select_related("workspace").get(pk=ticket.pk)


@transaction.atomic
def reply(
    *,
    ticket: Ticket,
    actor: User | None,
    text: str,
    files: Sequence[UploadedFile] = (),
    status: str | None = None,
    now: datetime | None = None,
    via_rule: str = "",
) -> Message:
    """An agent's answer to the customer (Markdown); the first one stops the first-response
    clock and moves a new ticket to `open`. An automation rule's reply (``actor`` None,
    ``via_rule`` its name) is mailed the same way but is no person's answer: both clocks and
    the status stay as they are."""
    if not text.strip():
        raise ActionError(_("Yanıt boş olamaz."))
    now = now or timezone.now()
    ticket = _lock(ticket)
    if ticket.status == Status.CLOSED:
        raise ActionError(_("Kapanmış bir talebe yanıt yazılamaz."))
    message = Message.objects.create(
        workspace_id=ticket.workspace_id,
        ticket=ticket,
        kind=MessageKind.REPLY,
        author=actor,
        text=text,
        html=markdown_to_html(text),
        via_rule=via_rule[:120],
        created_at=now,
    )
    store_attachments(message, files)
    if actor is not None and ticket.first_response_at is None:
        ticket.first_response_at = now
    next_status = after_agent_reply(ticket.status) if actor is not None else ticket.status
    if next_status != ticket.status:
        _set_status(ticket, actor, next_status, now)
    if status and status != ticket.status:
        _checked_status(ticket, actor, status, now, via_rule)
    ticket.last_agent_activity_at = now
    ticket.updated_at = now
    ticket.save()
    _written(ticket, now, "first_response_at", "status")
    signals.reply_written.send(sender=Ticket, ticket=ticket, message=message)
    _on_commit(signals.message_created, ticket=ticket, message=message)
    return message


@transaction.atomic
def add_note(
    *,
    ticket: Ticket,
    actor: User | None,
    text: str,
    files: Sequence[UploadedFile] = (),
    now: datetime | None = None,
    via_rule: str = "",
) -> Message:
    """An internal note: never sent, never shown to the customer."""
    if not text.strip():
        raise ActionError(_("Not boş olamaz."))
    now = now or timezone.now()
    ticket = _lock(ticket)
    message = Message.objects.create(
        workspace_id=ticket.workspace_id,
        ticket=ticket,
        kind=MessageKind.NOTE,
        author=actor,
        text=text,
        html=markdown_to_html(text),
        via_rule=via_rule[:120],
        created_at=now,
    )
    store_attachments(message, files)
    ticket.updated_at = now
    ticket.save(update_fields=["updated_at"])
    _on_commit(signals.message_created, ticket=ticket, message=message)
    return message


def _checked_status(
    ticket: Ticket, actor: User | None, status: str, now: datetime, via_rule: str = ""
) -> None:
    try:
        check_transition(ticket.status, status)
    except TransitionError as exc:
        raise ActionError(str(exc)) from exc
    _set_status(ticket, actor, status, now, via_rule)


@transaction.atomic
def change_status(
    *,
    ticket: Ticket,
    actor: User | None,
    status: str,
    now: datetime | None = None,
    via_rule: str = "",
) -> Ticket:
    now = now or timezone.now()
    ticket = _lock(ticket)
    if status == ticket.status:
        return ticket
    _checked_status(ticket, actor, status, now, via_rule)
    ticket.updated_at = now
    ticket.save()
    _written(ticket, now, "status")
    # ``via_rule`` tells the automation engine not to run status rules on a rule's own change.
    _on_commit(signals.ticket_updated, ticket=ticket, changed=["status"], via_rule=via_rule)
    return ticket


def _ensure_agent(workspace_id: int, user: User) -> None:
    if not Membership.objects.agents().filter(workspace_id=workspace_id, user=user).exists():
        raise ActionError(
            _("%(name)s bu çalışma alanında temsilci değil.") % {"name": user.display_name}
        )


@transaction.atomic
def assign(
    *,
    ticket: Ticket,
    actor: User | None,
    assignee: User | None,
    now: datetime | None = None,
    via_rule: str = "",
) -> Ticket:
    """Give the ticket to an agent (or back to the unassigned queue with ``None``)."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    if assignee is not None:
        _ensure_agent(ticket.workspace_id, assignee)
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return ticket
    old = ticket.assignee.display_name if ticket.assignee else ""
    ticket.assignee = assignee
    new = assignee.display_name if assignee else ""
    _event(ticket, actor, EventKind.ASSIGNEE, old, new, at=now, via_rule=via_rule)
    ticket.updated_at = now
    ticket.save()
    _on_commit(signals.ticket_updated, ticket=ticket, changed=["assignee"], via_rule=via_rule)
    return ticket


@transaction.atomic
def claim(*, ticket: Ticket, actor: User, now: datetime | None = None) -> Ticket:
    """“Üzerime al”: the agent takes the ticket and starts on it."""
    now = now or timezone.now()
    ticket = assign(ticket=ticket, actor=actor, assignee=actor, now=now)
    next_status = after_claim(ticket.status)
    if next_status != ticket.status:
        _set_status(ticket, actor, next_status, now)
        ticket.save()
    return ticket


@transaction.atomic
def set_priority(
    *,
    ticket: Ticket,
    actor: User | None,
    priority: str,
    now: datetime | None = None,
    via_rule: str = "",
) -> Ticket:
    if priority not in Priority.values:
        raise ActionError(_("Geçersiz öncelik."))
    now = now or timezone.now()
    ticket = _lock(ticket)
    if ticket.priority == priority:
        return ticket
    _event(ticket, actor, EventKind.PRIORITY, ticket.priority, priority, at=now, via_rule=via_rule)
    ticket.priority = priority
    ticket.updated_at = now
    ticket.save()
    _written(ticket, now, "priority")
    _on_commit(signals.ticket_updated, ticket=ticket, changed=["priority"], via_rule=via_rule)
    return ticket


@transaction.atomic
def set_category(
    *,
    ticket: Ticket,
    actor: User | None,
    category: Category | None,
    now: datetime | None = None,
    via_rule: str = "",
) -> Ticket:
    now = now or timezone.now()
    ticket = _lock(ticket)
    if category is not None and category.workspace_id != ticket.workspace_id:
        raise ActionError(_("Kategori bu çalışma alanına ait değil."))
    if ticket.category_id == (category.pk if category else None):
        return ticket
    old = ticket.category.name if ticket.category else ""
    new = category.name if category else ""
    _event(ticket, actor, EventKind.CATEGORY, old, new, at=now, via_rule=via_rule)
    ticket.category = category
    changed = ["category"]
    # A category routes to its team, but never takes a ticket away from the team it is with.
    if ticket.team_id is None and category is not None and category.team_id is not None:
        _set_team(ticket, actor, category.team, now, via_rule)
        changed.append("team")
    ticket.updated_at = now
    ticket.save()
    _on_commit(signals.ticket_updated, ticket=ticket, changed=changed, via_rule=via_rule)
    if "team" in changed and actor is not None and ticket.assignee_id is None:
        # A person re-categorised an unassigned ticket: the new team's automatic assignment
        # applies. (Rules and the arrival flow call route_and_assign themselves.)
        from destek.tickets.assignment import route_and_assign

        transaction.on_commit(lambda: route_and_assign(ticket))
    return ticket


def _set_team(
    ticket: Ticket, actor: User | None, team: Team | None, now: datetime, via_rule: str = ""
) -> None:
    old = ticket.team.name if ticket.team_id else ""
    _event(ticket, actor, EventKind.TEAM, old, team.name if team else "", at=now, via_rule=via_rule)
    ticket.team = team


@transaction.atomic
def set_team(
    *,
    ticket: Ticket,
    actor: User | None,
    team: Team | None,
    now: datetime | None = None,
    via_rule: str = "",
) -> Ticket:
    """Hand the ticket to a team's queue (``None``: no team). The assignee stays."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    if team is not None and team.workspace_id != ticket.workspace_id:
        raise ActionError(_("Ekip bu çalışma alanına ait değil."))
    if ticket.team_id == (team.pk if team else None):
        return ticket
    _set_team(ticket, actor, team, now, via_rule)
    ticket.updated_at = now
    ticket.save()
    _on_commit(signals.ticket_updated, ticket=ticket, changed=["team"], via_rule=via_rule)
    return ticket


@transaction.atomic
def set_tags(
    *,
    ticket: Ticket,
    actor: User | None,
    names: Iterable[str],
    now: datetime | None = None,
    via_rule: str = "",
) -> Ticket:
    """Replace the ticket's tags with ``names`` (created in the workspace when new)."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    wanted = sorted({name.strip().lower()[:50] for name in names if name.strip()})
    current = sorted(ticket.tags.values_list("name", flat=True))
    if wanted == current:
        return ticket
    tags = [
        Tag.objects.get_or_create(workspace_id=ticket.workspace_id, name=name)[0] for name in wanted
    ]
    ticket.tags.set(tags)
    old, new = ", ".join(current), ", ".join(wanted)
    _event(ticket, actor, EventKind.TAGS, old, new, at=now, via_rule=via_rule)
    ticket.updated_at = now
    ticket.save(update_fields=["updated_at"])
    _on_commit(signals.ticket_updated, ticket=ticket, changed=["tags"], via_rule=via_rule)
    return ticket


@transaction.atomic
def bulk_update(
    *,
    tickets: Iterable[Ticket],
    actor: User,
    assignee: User | None = None,
    unassign: bool = False,
    status: str | None = None,
) -> tuple[int, list[str]]:
    """Assign and/or move many tickets; all or nothing. Returns (count, per-ticket errors)."""
    count, errors = 0, []
    for ticket in tickets:
        try:
            with transaction.atomic():
                if assignee is not None or unassign:
                    assign(ticket=ticket, actor=actor, assignee=None if unassign else assignee)
                if status:
                    change_status(ticket=ticket, actor=actor, status=status)
            count += 1
        except ActionError as exc:
            errors.append(f"{ticket.code}: {exc}")
    return count, errors


@transaction.atomic
def release_tickets_of(*, workspace: Workspace, user: User, actor: User | None) -> int:
    """A removed member's open tickets go back to the unassigned queue."""
    released = 0
    for ticket in Ticket.objects.for_workspace(workspace).active().assigned_to(user):
        assign(ticket=ticket, actor=actor, assignee=None)
        released += 1
    return released


@transaction.atomic
def auto_close(*, workspace: Workspace, now: datetime | None = None) -> int:
    """Close resolved tickets older than the workspace's auto-close period."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=workspace.auto_close_days)
    closed = 0
    for ticket in Ticket.objects.for_workspace(workspace).filter(
        status=Status.RESOLVED, resolved_at__lte=cutoff
    ):
        change_status(ticket=ticket, actor=None, status=Status.CLOSED, now=now)
        closed += 1
    return closed


def _lock_pair(first: Ticket, second: Ticket) -> tuple[Ticket, Ticket]:
    # Always in id order, so a merge of A into B and one of B into A can't deadlock.
    locked = {
        ticket.pk: ticket
        for ticket in Ticket.objects.select_for_update()
        .select_related("workspace", "customer")
        .filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
    }
    return locked[first.pk], locked[second.pk]


@transaction.atomic
def merge(
    *, ticket: Ticket, into: Ticket, actor: User | None, now: datetime | None = None
) -> Ticket:
    """The customer wrote twice: ``ticket``'s messages (with their attachments and mail), events,
    tags and participants move to ``into``; ``ticket`` is closed and keeps a pointer, so its
    code, its links and answers to its mail reach ``into`` from now on. Returns ``into``."""
    now = now or timezone.now()
    if ticket.pk == into.pk:
        raise ActionError(_("Bir talep kendisiyle birleştirilemez."))
    if ticket.workspace_id != into.workspace_id:
        raise ActionError(_("Talep bu çalışma alanına ait değil."))
    ticket, into = _lock_pair(ticket, into)
    if ticket.merged_into_id is not None or into.merged_into_id is not None:
        raise ActionError(_("Birleştirilmiş bir talep yeniden birleştirilemez."))
    message_ids = list(Message.objects.filter(ticket=ticket).values_list("pk", flat=True))
    Message.objects.filter(pk__in=message_ids).update(ticket=into)
    TicketEvent.objects.filter(ticket=ticket).update(ticket=into)
    into.tags.add(*ticket.tags.all())
    signals.messages_moved.send(
        sender=Ticket, source=ticket, target=into, message_ids=message_ids, merged=True
    )
    _event(into, actor, EventKind.MERGED, into.code, ticket.code, at=now)
    ticket.merged_into = into
    if ticket.status != Status.CLOSED:
        _set_status(ticket, actor, Status.CLOSED, now)
    _event(ticket, actor, EventKind.MERGED, ticket.code, into.code, at=now)
    ticket.updated_at = now
    ticket.save()
    latest = [t for t in (into.last_customer_activity_at, ticket.last_customer_activity_at) if t]
    into.last_customer_activity_at = max(latest) if latest else None
    into.updated_at = now
    into.save()
    _written(ticket, now, "status")
    _on_commit(signals.ticket_updated, ticket=ticket, changed=["merged_into", "status"])
    _on_commit(signals.ticket_updated, ticket=into, changed=["messages"])
    return into


@transaction.atomic
def split(
    *, message: Message, actor: User | None, subject: str = "", now: datetime | None = None
) -> Ticket:
    """A message that raised another matter becomes the first message of a new ticket (same
    customer, priority and category); both timelines say so. Returns the new ticket."""
    now = now or timezone.now()
    ticket = _lock(message.ticket)
    if message.kind not in (MessageKind.CUSTOMER, MessageKind.REPLY, MessageKind.NOTE):
        raise ActionError(_("Bu mesaj ayrı bir talebe taşınamaz."))
    if ticket.merged_into_id is not None:
        raise ActionError(_("Birleştirilmiş bir talepten mesaj ayrılamaz."))
    if not Message.objects.filter(ticket=ticket).exclude(pk=message.pk).exists():
        raise ActionError(_("Talebin tek mesajı ayrı bir talebe taşınamaz."))
    customer = message.customer or ticket.customer
    new = Ticket.objects.create(
        workspace_id=ticket.workspace_id,
        number=_next_number(ticket.workspace),
        subject=(subject.strip() or ticket.subject)[:255],
        customer=customer,
        priority=ticket.priority,
        category=ticket.category,
        created_at=now,
        updated_at=now,
        last_customer_activity_at=message.created_at
        if message.kind == MessageKind.CUSTOMER
        else None,
    )
    new.workspace = ticket.workspace
    Message.objects.filter(pk=message.pk).update(ticket=new)
    signals.messages_moved.send(
        sender=Ticket, source=ticket, target=new, message_ids=[message.pk], merged=False
    )
    _event(new, actor, EventKind.CREATED, new=new.code, at=now)
    _event(new, actor, EventKind.SPLIT, ticket.code, new.code, at=now)
    _event(ticket, actor, EventKind.SPLIT, ticket.code, new.code, at=now)
    ticket.updated_at = now
    ticket.save(update_fields=["updated_at"])
    _written(new, now, "created")
    _on_commit(signals.ticket_updated, ticket=new, changed=["created"])
    return new


@transaction.atomic
def snooze(
    *, ticket: Ticket, actor: User | None, until: datetime, now: datetime | None = None
) -> Ticket:
    """“Ertele”: the ticket waits in `pending` until ``until``, then :func:`wake` opens it."""
    now = now or timezone.now()
    if until <= now:
        raise ActionError(_("Erteleme zamanı gelecekte olmalı."))
    ticket = _lock(ticket)
    if ticket.status in DONE:
        raise ActionError(_("Çözülmüş ya da kapanmış bir talep ertelenemez."))
    if ticket.status != Status.PENDING:
        _checked_status(ticket, actor, Status.PENDING, now)
    ticket.snoozed_until = until
    _event(ticket, actor, EventKind.SNOOZED, new=until.isoformat(), at=now)
    ticket.updated_at = now
    ticket.save()
    _written(ticket, now, "status")
    _on_commit(signals.ticket_updated, ticket=ticket, changed=["status", "snoozed_until"])
    return ticket


@transaction.atomic
def wake(*, ticket: Ticket, now: datetime | None = None) -> Ticket:
    """A snoozed ticket whose time has come goes back to `open` (unless someone already moved
    it out of `pending`, e.g. the customer answered); the snooze is cleared either way."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    if ticket.snoozed_until is None or ticket.snoozed_until > now:
        return ticket
    ticket.snoozed_until = None
    changed = ["snoozed_until"]
    if ticket.status == Status.PENDING:
        _set_status(ticket, None, Status.OPEN, now)
        ticket.updated_at = now
        changed.append("status")
    ticket.save()
    if "status" in changed:
        _written(ticket, now, "status")
    _on_commit(signals.ticket_updated, ticket=ticket, changed=changed)
    return ticket


def wake_snoozed(*, now: datetime | None = None) -> int:
    """Wake every ticket whose snooze has run out; returns how many."""
    now = now or timezone.now()
    woken = 0
    for ticket in Ticket.objects.filter(snoozed_until__lte=now).order_by("snoozed_until"):
        wake(ticket=ticket, now=now)
        woken += 1
    return woken
