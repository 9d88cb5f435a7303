"""What the search index holds for a ticket: folded text in named columns.

One document per ticket, so a two-word query matches a ticket whose subject has one word and a
reply the other. Text is folded (destek.lib.turkish.fold) before it is indexed and queries are
folded the same way, so "odeme" finds "ÖDEME" and "sikayet" finds "şikâyet" on both engines.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from destek.lib.turkish import fold
from destek.tickets.models import Attachment, Message, MessageKind, Ticket

_WORD = re.compile(r"[^\W_]+")

# Columns, in index order. Notes are their own column so a search for someone who may not read
# internal notes can leave it out.
COLUMNS = ("code", "subject", "people", "body", "notes", "files")
# A message longer than this is indexed by its start: mail with a pasted log file should not
# make the index (or a PostgreSQL tsvector, capped at 1 MB) blow up.
MAX_MESSAGE_CHARS = 20_000


@dataclass
class Document:
    ticket_id: int
    workspace_id: int
    code: str = ""
    subject: str = ""
    people: str = ""
    body: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # Already folded words put after a column's text, each piece after a space, as the engine's
    # append() would add them: a new ticket's first message is written with the document,
    # instead of the whole document being read and tokenised again for it.
    appended: dict[str, list[str]] = field(default_factory=dict)

    def values(self) -> dict[str, str]:
        """The folded words of each column, space-separated."""
        values = {
            "code": index_text(self.code),
            "subject": index_text(self.subject),
            "people": index_text(self.people),
            "body": index_text("\n".join(self.body)),
            "notes": index_text("\n".join(self.notes)),
            "files": index_text("\n".join(self.files)),
        }
        for column, pieces in self.appended.items():
            values[column] += "".join(f" {piece}" for piece in pieces)
        return values


def words(text: str) -> list[str]:
    """Folded words, split the same way for both engines (an email address or a file name is
    several words: "ayse.kaya@firma.com" is found by "kaya")."""
    return _WORD.findall(fold(text))


def index_text(text: str) -> str:
    return " ".join(words(text))


def code_text(prefix: str, number: int) -> str:
    # "DST-1042" and "DST1042" both: people type the code either way.
    return f"{prefix}-{number} {prefix}{number}"


def people_text(name: str, email: str) -> str:
    return f"{name} {email}"


def message_text(text: str, visible_text: str) -> str:
    # The new part of a mail: quoted history is already indexed with the message it quotes.
    return (visible_text or text)[:MAX_MESSAGE_CHARS]


def message_column(kind: str) -> str | None:
    if kind == MessageKind.NOTE:
        return "notes"
    if kind in (MessageKind.CUSTOMER, MessageKind.REPLY):
        return "body"
    return None


def build_documents(ticket_ids: Iterable[int]) -> Iterator[Document]:
    """Documents for these tickets in three queries, whatever their number of messages."""
    ids = sorted(set(ticket_ids))
    if not ids:
        return
    docs: dict[int, Document] = {}
    rows = Ticket.objects.filter(pk__in=ids).values_list(
        "pk",
        "workspace_id",
        "workspace__prefix",
        "number",
        "subject",
        "customer__name",
        "customer__email",
    )
    for pk, ws, prefix, number, subject, name, email in rows:
        docs[pk] = Document(pk, ws, code_text(prefix, number), subject, people_text(name, email))
    texts = defaultdict(list)
    messages = Message.objects.filter(ticket_id__in=ids).order_by("ticket_id", "created_at", "id")
    for ticket_id, kind, text, visible in messages.values_list(
        "ticket_id", "kind", "text", "visible_text"
    ):
        column = message_column(kind)
        if column is not None and ticket_id in docs:
            texts[ticket_id, column].append(message_text(text, visible))
    for (ticket_id, column), parts in texts.items():
        getattr(docs[ticket_id], column).extend(parts)
    files = Attachment.objects.filter(message__ticket_id__in=ids).order_by("id")
    for ticket_id, filename in files.values_list("message__ticket_id", "filename"):
        if ticket_id in docs:
            docs[ticket_id].files.append(filename)
    yield from (docs[pk] for pk in ids if pk in docs)
