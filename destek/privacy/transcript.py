"""A ticket's conversation as a PDF (fpdf2, a Unicode TrueType font so Turkish letters print).

Internal notes are left out: the transcript is made to be shown to a bank or a court.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from destek.tickets.models import Message, MessageKind, Ticket

FONT = "DejaVu"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FontMissing(RuntimeError):
    """The TrueType font for the transcript is not installed (Debian: fonts-dejavu-core)."""


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


def _when(value: datetime) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M:%S %Z")


def _pdf() -> FPDF:
    folder = Path(settings.PDF_FONT_DIR)
    regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
    if not regular.is_file() or not bold.is_file():
        raise FontMissing(f"DejaVuSans.ttf / DejaVuSans-Bold.ttf not found in {folder}")
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))
    return pdf


def _author(message: Message, ticket: Ticket) -> str:
    if message.kind == MessageKind.CUSTOMER:
        customer = message.customer or ticket.customer
        return f"{customer.display_name} <{customer.email}>"
    return message.author.display_name if message.author else _("Sistem")


def transcript_messages(ticket: Ticket):
    """What the transcript shows: the customer's messages and the replies, never notes."""
    return (
        ticket.messages.public()
        .select_related("author", "customer")
        .prefetch_related("attachments")
    )


def transcript_pdf(ticket: Ticket, *, generated_by: str) -> bytes:
    pdf = _pdf()
    pdf.set_title(f"{ticket.code} {ticket.subject}")
    pdf.set_creator("Destek")
    pdf.add_page()
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 8, _clean(f"{ticket.code} — {ticket.subject}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    facts = [
        (_("Müşteri"), f"{ticket.customer.display_name} <{ticket.customer.email}>"),
        (_("Durum"), str(ticket.get_status_display())),
        (_("Açılış"), _when(ticket.created_at)),
        (_("Döküm tarihi"), _when(timezone.now())),
        (_("Dökümü alan"), generated_by),
    ]
    for label, value in facts:
        pdf.multi_cell(0, 5, _clean(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    messages = (
        ticket.messages.public()
        .select_related("author", "customer")
        .prefetch_related("attachments")
    )
    for message in messages:
        pdf.set_font(FONT, "B", 10)
        kind = message.get_kind_display()
        heading = f"{_when(message.created_at)} · {kind} · {_author(message, ticket)}"
        pdf.multi_cell(0, 6, _clean(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 5, _clean(message.text or "—"), new_x="LMARGIN", new_y="NEXT")
        for attachment in message.attachments.all():
            pdf.set_font(FONT, "", 8)
            line = _("Ek: %(name)s (%(size)s bayt, SHA-256 %(sha)s)") % {
                "name": attachment.filename,
                "size": attachment.size,
                "sha": attachment.sha256,
            }
            pdf.multi_cell(0, 4, _clean(line), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())
