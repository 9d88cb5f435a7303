"""A ticket's messages over the API: list, reply (mailed like a UI reply), note, attachments."""

from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from destek.mail.models import Mailbox, OutboundEmail
from destek.tickets import actions


def test_messages_list_in_order_with_kinds(agent_api, agent, ticket):
    actions.add_note(ticket=ticket, actor=agent, text="İç not")
    actions.reply(ticket=ticket, actor=agent, text="Merhaba")

    response = agent_api.get(f"tickets/{ticket.number}/messages")

    assert response.status_code == 200
    assert [(m["kind"], m["text"]) for m in response.json()] == [
        ("customer", "Sepette ödeme adımında hata alıyorum, sipariş tamamlanmıyor."),
        ("note", "İç not"),
        ("reply", "Merhaba"),
    ]


def test_a_reply_is_mailed_to_the_customer_like_a_ui_reply(agent_api, agent, ticket, workspace):
    Mailbox.objects.create(workspace=workspace, address="destek@anadolu.test")

    response = agent_api.post(
        f"tickets/{ticket.number}/replies", json={"text": "**Merhaba**, bakıyoruz."}
    )

    assert response.status_code == 201
    assert response.json()["kind"] == "reply"
    assert response.json()["html"] == "<p><strong>Merhaba</strong>, bakıyoruz.</p>\n"
    outbound = OutboundEmail.objects.get()
    assert (outbound.kind, outbound.to, outbound.ticket_message_id) == (
        "reply",
        ["zeynep.kaya@musteri.test"],
        response.json()["id"],
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.first_response_at is not None) == ("open", True)


def test_a_reply_may_move_the_ticket_on(agent_api, ticket):
    response = agent_api.post(
        f"tickets/{ticket.number}/replies", json={"text": "Çözüldü", "status": "resolved"}
    )

    assert response.status_code == 201
    ticket.refresh_from_db()
    assert ticket.status == "resolved"


def test_a_note_is_never_mailed(agent_api, ticket, workspace):
    Mailbox.objects.create(workspace=workspace, address="destek@anadolu.test")

    response = agent_api.post(f"tickets/{ticket.number}/notes", json={"text": "Kargoya sor"})

    assert response.status_code == 201
    assert response.json()["kind"] == "note"
    assert OutboundEmail.objects.count() == 0


def test_files_upload_with_a_note_and_download_with_the_tickets_access(
    agent_api, owner_api, other_api, ticket
):
    upload = SimpleUploadedFile("fatura.pdf", b"%PDF-1.4 fatura", "application/pdf")
    response = agent_api.client.post(
        f"/api/v1/tickets/{ticket.number}/attachments",
        {"text": "Fatura ekte", "files": [upload]},
        headers=agent_api.headers,
    )

    assert response.status_code == 201, response.content
    (attachment,) = response.json()["attachments"]
    assert attachment["filename"] == "fatura.pdf"
    assert attachment["sha256"] == hashlib.sha256(b"%PDF-1.4 fatura").hexdigest()
    url = f"tickets/{ticket.number}/attachments/{attachment['id']}"
    download = agent_api.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 fatura"
    assert owner_api.get(url).status_code == 403
    assert other_api.get(url).status_code == 404


def test_an_attachment_is_found_only_under_its_own_ticket(agent_api, ticket, workspace, customer):
    other = actions.create_ticket(
        workspace=workspace,
        customer=customer,
        subject="Başka",
        text="x",
        files=[SimpleUploadedFile("a.txt", b"a", "text/plain")],
    )
    attachment = other.messages.get().attachments.get()

    response = agent_api.get(f"tickets/{ticket.number}/attachments/{attachment.pk}")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_an_empty_reply_is_a_field_error(agent_api, ticket):
    response = agent_api.post(f"tickets/{ticket.number}/replies", json={"text": ""})

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.text"]
