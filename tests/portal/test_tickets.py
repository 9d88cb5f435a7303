import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from destek.tickets import actions
from destek.tickets.models import EventKind, Message, Ticket
from destek.tickets.status import Status
from tests.portal.conftest import signed_in

NOTE = "gizli-not-91c2 müşteri sinirli"


def test_the_list_shows_only_the_customers_own_tickets(workspace, customer, ticket):
    other = actions.get_or_create_customer(workspace=workspace, email="baskasi@musteri.test")
    actions.create_ticket(
        workspace=workspace, customer=other, subject="Başkasının talebi", text="x"
    )
    page = signed_in(customer).get("/s/anadolu/talepler/").content.decode()
    assert ticket.subject in page
    assert "Başkasının talebi" not in page


def test_another_customers_ticket_is_404(workspace, customer, ticket):
    other = actions.get_or_create_customer(workspace=workspace, email="baskasi@musteri.test")
    client = signed_in(other)
    number = ticket.number
    assert client.get(f"/s/anadolu/talepler/{number}/").status_code == 404
    assert client.post(f"/s/anadolu/talepler/{number}/yanit/", {"text": "x"}).status_code == 404
    answer = client.post(f"/s/anadolu/talepler/{number}/durum/", {"action": "resolve"})
    assert answer.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
    assert ticket.messages.count() == 1


def test_the_ticket_page_shows_the_public_conversation_and_never_notes(
    workspace, customer, ticket, agent
):
    actions.add_note(ticket=ticket, actor=agent, text=NOTE)
    actions.reply(ticket=ticket, actor=agent, text="Merhaba, kontrol ediyoruz.")
    actions.set_priority(ticket=ticket, actor=agent, priority="P0")
    page = signed_in(customer).get(f"/s/anadolu/talepler/{ticket.number}/").content.decode()
    assert "Sepette ödeme adımında hata alıyorum" in page
    assert "Merhaba, kontrol ediyoruz." in page
    assert NOTE not in page
    # CSRF tokens are random letters and digits and may contain "P0" by chance.
    without_tokens = re.sub(r"[A-Za-z0-9]{32,}", "", page)
    assert "P0" not in without_tokens and "Acil" not in without_tokens
    assert "Ayşe Yılmaz" in page  # who answered


def test_a_note_attachment_cannot_be_downloaded(workspace, customer, ticket, agent):
    note = actions.add_note(
        ticket=ticket,
        actor=agent,
        text=NOTE,
        files=[SimpleUploadedFile("ic-yazisma.pdf", b"%PDF-1.4 ic", "application/pdf")],
    )
    client = signed_in(customer)
    assert client.get(f"/s/anadolu/ekler/{note.attachments.get().pk}/").status_code == 404


def test_the_customer_downloads_an_attachment_of_an_answer(workspace, customer, ticket, agent):
    answer = actions.reply(
        ticket=ticket,
        actor=agent,
        text="Fatura ekte.",
        files=[SimpleUploadedFile("fatura.pdf", b"%PDF-1.4 fatura", "application/pdf")],
    )
    response = signed_in(customer).get(f"/s/anadolu/ekler/{answer.attachments.get().pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 fatura"
    assert response["Content-Disposition"] == 'attachment; filename="fatura.pdf"'


def test_a_reply_is_added_like_an_emailed_answer(workspace, customer, ticket, agent):
    actions.change_status(ticket=ticket, actor=agent, status=Status.PENDING)
    client = signed_in(customer)
    response = client.post(
        f"/s/anadolu/talepler/{ticket.number}/yanit/",
        {
            "text": "Ekran görüntüsünü ekledim.",
            "files": [SimpleUploadedFile("hata.png", b"\x89PNG\r\n\x1a\nxx", "image/png")],
        },
    )
    assert response.status_code == 302
    message = ticket.messages.order_by("-pk").first()
    assert (message.kind, message.customer_id, message.text) == (
        "customer",
        customer.pk,
        "Ekran görüntüsünü ekledim.",
    )
    assert [a.filename for a in message.attachments.all()] == ["hata.png"]
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN  # pending → open, as for a mailed answer


def test_a_reply_to_a_closed_ticket_opens_a_follow_up(workspace, customer, ticket, agent):
    actions.change_status(ticket=ticket, actor=agent, status=Status.CLOSED)
    client = signed_in(customer)
    response = client.post(f"/s/anadolu/talepler/{ticket.number}/yanit/", {"text": "Yine oldu."})
    follow_up = Ticket.objects.get(follow_up_of=ticket)
    assert response["Location"] == f"/s/anadolu/talepler/{follow_up.number}/"


def test_an_empty_reply_is_refused(workspace, customer, ticket):
    client = signed_in(customer)
    response = client.post(f"/s/anadolu/talepler/{ticket.number}/yanit/", {"text": ""})
    assert response.status_code == 400
    assert ticket.messages.count() == 1


def test_solved_then_reopen_follow_the_status_machine(workspace, customer, ticket):
    client = signed_in(customer)
    url = f"/s/anadolu/talepler/{ticket.number}/durum/"
    assert "Sorunum çözüldü" in client.get(f"/s/anadolu/talepler/{ticket.number}/").content.decode()
    client.post(url, {"action": "resolve"})
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    page = client.get(f"/s/anadolu/talepler/{ticket.number}/").content.decode()
    assert "Yeniden aç" in page and "Sorunum çözüldü" not in page
    client.post(url, {"action": "reopen"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.reopen_count) == (Status.OPEN, 1)
    assert ticket.events.filter(kind=EventKind.REOPENED).count() == 1


def test_a_closed_ticket_cannot_be_reopened_from_the_portal(workspace, customer, ticket, agent):
    actions.change_status(ticket=ticket, actor=agent, status=Status.CLOSED)
    client = signed_in(customer)
    client.post(f"/s/anadolu/talepler/{ticket.number}/durum/", {"action": "reopen"})
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_an_unknown_button_is_a_bad_request(workspace, customer, ticket):
    response = signed_in(customer).post(
        f"/s/anadolu/talepler/{ticket.number}/durum/", {"action": "close"}
    )
    assert response.status_code == 400


def test_anonymous_visitors_are_sent_to_sign_in(workspace, ticket):
    response = Client().get(f"/s/anadolu/talepler/{ticket.number}/")
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"/s/anadolu/giris/?next=%2Fs%2Fanadolu%2Ftalepler%2F{ticket.number}%2F"
    )
    assert Message.objects.count() == 1
