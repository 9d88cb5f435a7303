"""Portal mail goes out through the workspace's support mailbox (the outbox) when it can send."""

import time

from django.core import mail
from django.test import Client

from destek.mail import tokens
from destek.mail.models import Mailbox, OutboundEmail
from destek.portal import signin, spam
from destek.tickets.models import Ticket


def _sending_mailbox(workspace) -> Mailbox:
    return Mailbox.objects.create(
        workspace=workspace,
        address="destek@anadolu.test",
        display_name="Anadolu Kahve Destek",
        smtp_host="127.0.0.1",
        smtp_port=2525,
    )


def test_the_acknowledgement_is_queued_in_the_outbox_threaded_to_the_ticket(workspace):
    _sending_mailbox(workspace)
    data = {
        "name": "Deniz Aksoy",
        "email": "deniz@misafir.test",
        "subject": "Kargom gelmedi",
        "description": "Nerede?",
        "started": spam.started_token(time.time() - 10),
    }
    Client().post("/s/anadolu/yeni/", data)
    ticket = Ticket.objects.get()
    [outbound] = OutboundEmail.objects.all()
    assert (outbound.kind, outbound.to, outbound.subject) == (
        "acknowledgement",
        ["deniz@misafir.test"],
        f"[{ticket.code}] Talebiniz alındı",
    )
    assert outbound.ticket == ticket
    # Signed for the ticket: the customer's answer to it threads back into the ticket.
    assert tokens.ticket_of_message_id(outbound.message_id) == (workspace.pk, ticket.pk)
    assert "/s/anadolu/giris/" in outbound.body
    assert mail.outbox == []


def test_a_sign_in_link_is_queued_in_the_outbox(workspace, customer):
    _sending_mailbox(workspace)
    signin.request_link(workspace=workspace, email=customer.email, ip="127.0.0.1")
    [outbound] = OutboundEmail.objects.all()
    assert (outbound.kind, outbound.to, outbound.ticket) == (
        "notification",
        [customer.email],
        None,
    )
    assert outbound.subject == "Anadolu Kahve destek sayfasına giriş bağlantınız"
