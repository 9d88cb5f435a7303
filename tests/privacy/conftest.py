"""A customer who wrote by email (raw mail kept, an attachment) and got a sent reply."""

from __future__ import annotations

import pytest

from destek.mail.ingest import receive_and_process
from destek.mail.models import OutboundEmail, OutboundStatus
from destek.tickets import actions
from tests.mail.inbound import build_mail, make_mailbox

SECRET_TEXT = "Kart numaram 4111 1111 ve adresim Çiçek Sokak 7"


@pytest.fixture
def mailed_ticket(workspace, agent):
    from destek.search.engines import engine

    # The full-text table is not a model: transactional tests' flush leaves earlier rows there.
    engine().clear()
    mailbox = make_mailbox(workspace)
    raw = build_mail(
        subject="İade talebi: Şükrü Öztürk",
        sender="Şükrü Öztürk <sukru.ozturk@musteri.test>",
        text=SECRET_TEXT + "\n",
        attachments=[("fatura-şükrü.pdf", "application/pdf", b"%PDF-1.4 fatura")],
    )
    inbound = receive_and_process(mailbox, raw, source="pipe")
    ticket = inbound.ticket
    actions.reply(ticket=ticket, actor=agent, text="Merhaba Şükrü Bey, iadeniz başlatıldı.")
    actions.add_note(ticket=ticket, actor=agent, text="Müşteri gizli not: 0532 000 00 00")
    OutboundEmail.objects.filter(ticket=ticket).update(status=OutboundStatus.SENT)
    ticket.refresh_from_db()
    return ticket
