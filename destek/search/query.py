"""Running a search: jump straight to a ticket or customer named in full, else find the tickets
whose words match, apply the filters, and prepare highlighted rows.

The number of queries does not depend on how many tickets match (DESIGN §9): the index answers
ids newest first, the filters are checked on a batch of candidates at a time, and one page of
tickets is loaded with its snippets in a fixed number of queries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Left
from django.urls import reverse
from django.utils.safestring import SafeString

from destek.accounts.models import Workspace
from destek.search.documents import message_column, words
from destek.search.engines import engine
from destek.search.highlight import highlight, snippet
from destek.tickets.models import Attachment, Customer, Message, Ticket
from destek.tickets.models.ticket import TicketQuerySet

PER_PAGE = 25
MAX_TERMS = 8
# Filters are checked on growing batches of candidates; past this many rounds the page shows
# what was found and offers to keep looking from where the scan stopped.
MAX_ROUNDS = 5
MAX_BATCH = 20_000
SNIPPET_SOURCE_CHARS = 4_000

_CODE = re.compile(r"^#?([A-Za-z]{1,10})-?(\d{1,9})$")


def search_terms(text: str) -> list[str]:
    """The folded words of a query, each once, at most ``MAX_TERMS``."""
    return list(dict.fromkeys(words(text)))[:MAX_TERMS]


def jump_url(workspace: Workspace, text: str) -> str | None:
    """The page a query names in full: a tracking code ("DST-1042", "dst1042") of an existing
    ticket, or the email address of a known customer."""
    text = text.strip()
    code = _CODE.match(text)
    if code and code.group(1).upper() == workspace.prefix.upper():
        number = int(code.group(2))
        if Ticket.objects.for_workspace(workspace).filter(number=number).exists():
            return reverse("ticket_detail", args=[workspace.slug, number])
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            return None
        customer = (
            Customer.objects.for_workspace(workspace).filter(email=text.lower()).only("pk").first()
        )
        if customer is not None:
            return reverse("customer_detail", args=[workspace.slug, customer.pk])
    return None


@dataclass
class Hit:
    ticket: Ticket
    subject: SafeString
    customer: SafeString
    snippets: list[tuple[str, SafeString]] = field(default_factory=list)


@dataclass
class Results:
    hits: list[Hit]
    terms: list[str]
    # Where "older results" continues: the id to search below, or None at the end.
    next_before: int | None


def _candidates(
    workspace: Workspace,
    terms: Sequence[str],
    tickets: TicketQuerySet,
    *,
    filtered: bool,
    include_notes: bool,
    before: int | None,
    limit: int,
) -> tuple[list[int], int | None]:
    """Matching ticket ids (newest first, at most ``limit`` + 1) that pass the filters, and
    where a stopped scan would continue."""
    index, found = engine(), []
    batch = max(limit * 4, 200) if filtered else limit + 1
    for _round in range(MAX_ROUNDS):
        ids = index.match(
            workspace.pk, terms, include_notes=include_notes, before=before, limit=batch
        )
        if filtered and ids:
            keep = set(tickets.filter(pk__in=ids).values_list("pk", flat=True))
            ids_kept = [pk for pk in ids if pk in keep]
        else:
            ids_kept = ids
        found.extend(ids_kept)
        if len(found) > limit or len(ids) < batch:
            return found[: limit + 1], None
        before, batch = ids[-1], min(batch * 4, MAX_BATCH)
    return found[: limit + 1], before


def search(
    workspace: Workspace,
    text: str,
    tickets: TicketQuerySet,
    *,
    filtered: bool,
    include_notes: bool = True,
    before: int | None = None,
    limit: int = PER_PAGE,
) -> Results:
    """One page of tickets of ``tickets`` (already filtered) matching ``text``, newest first."""
    terms = search_terms(text)
    if terms:
        ids, resume = _candidates(
            workspace,
            terms,
            tickets,
            filtered=filtered,
            include_notes=include_notes,
            before=before,
            limit=limit,
        )
    else:
        page = tickets.filter(pk__lt=before) if before else tickets
        ids, resume = list(page.order_by("-pk").values_list("pk", flat=True)[: limit + 1]), None
    next_before = ids[limit - 1] if len(ids) > limit else resume
    ids = ids[:limit]
    page_tickets = (
        Ticket.objects.filter(pk__in=ids)
        .select_related("workspace")
        .with_list_data()
        .order_by("-pk")
    )
    hits = [
        Hit(
            ticket,
            highlight(ticket.subject, terms),
            highlight(f"{ticket.customer.display_name} <{ticket.customer.email}>", terms),
        )
        for ticket in page_tickets
    ]
    if terms and hits:
        _add_snippets(hits, terms, include_notes=include_notes)
    return Results(hits, terms, next_before)


def _add_snippets(hits: list[Hit], terms: Sequence[str], *, include_notes: bool) -> None:
    """The first matching message (and attachment name) of each hit, in two queries."""
    by_id = {hit.ticket.pk: hit for hit in hits}
    messages = Message.objects.filter(ticket_id__in=by_id).annotate(
        start=Left("text", SNIPPET_SOURCE_CHARS), visible_start=Left("visible_text", 4000)
    )
    if not include_notes:
        messages = messages.public()
    rows = messages.order_by("ticket_id", "created_at", "id").values_list(
        "ticket_id", "kind", "start", "visible_start"
    )
    for ticket_id, kind, text, visible in rows:
        hit = by_id[ticket_id]
        if hit.snippets or message_column(kind) is None:
            continue
        found = snippet(visible or text, terms)
        if found is not None:
            hit.snippets.append((kind, found))
    files = Attachment.objects.filter(message__ticket_id__in=by_id).order_by("id")
    if not include_notes:
        files = files.filter(message__kind__in=["customer", "reply"])
    for ticket_id, filename in files.values_list("message__ticket_id", "filename"):
        hit = by_id[ticket_id]
        if not any(kind == "file" for kind, _ in hit.snippets) and words_match(filename, terms):
            hit.snippets.append(("file", highlight(filename, terms)))


def words_match(text: str, terms: Sequence[str]) -> bool:
    return any(word.startswith(term) for word in words(text) for term in terms)
