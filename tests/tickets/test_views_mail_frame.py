"""The ticket page shows a received mail's HTML in a sandboxed frame, remote images held back
until the reader asks for them on that one message (destek/lib/email_frame.py)."""

from __future__ import annotations

import html

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from destek.lib.security_headers import policy
from destek.tickets import actions

MAIL_HTML = '<p>Siparişim <b>gelmedi</b></p><img src="https://izleyici.example/p.gif" alt="logo">'


def _mail_ticket(workspace, customer):
    return actions.create_ticket(
        workspace=workspace,
        customer=customer,
        subject="Sipariş",
        text="Siparişim gelmedi",
        html=MAIL_HTML,
    )


def _url(ticket, query=""):
    return reverse("ticket_detail", args=[ticket.workspace.slug, ticket.number]) + query


def test_mail_html_is_in_a_sandboxed_frame_without_remote_images(agent_client, workspace, customer):
    ticket = _mail_ticket(workspace, customer)
    message = ticket.messages.get()

    response = agent_client.get(_url(ticket))

    body = response.content.decode()
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in body
    srcdoc = html.unescape(body.split('srcdoc="', 1)[1].split('"', 1)[0])
    assert "<p>Siparişim <b>gelmedi</b></p>" in srcdoc
    assert "izleyici.example" not in body
    assert "Gizliliğiniz için 1 uzak görsel yüklenmedi." in body
    assert f'href="?images={message.pk}#m{message.pk}"' in body
    assert response["Content-Security-Policy"] == policy()


def test_load_remote_images_for_one_message(agent_client, workspace, customer):
    ticket = _mail_ticket(workspace, customer)
    message = ticket.messages.get()

    response = agent_client.get(_url(ticket, f"?images={message.pk}"))

    body = response.content.decode()
    assert "https://izleyici.example/p.gif" in html.unescape(body)
    assert "uzak görsel yüklenmedi" not in body
    assert response["Content-Security-Policy"] == policy(remote_images=True)


def test_agent_replies_are_not_framed(agent_client, agent, ticket):
    actions.reply(ticket=ticket, actor=agent, text="**Bakıyoruz**")

    body = agent_client.get(_url(ticket)).content.decode()

    assert "<strong>Bakıyoruz</strong>" in body
    assert body.count("<iframe") == 0


def test_an_html_attachment_downloads_inert(agent_client, workspace, customer):
    ticket = actions.create_ticket(
        workspace=workspace,
        customer=customer,
        subject="Ek",
        text="ekte",
        files=[SimpleUploadedFile("sayfa.html", b"<script>alert(1)</script>", "text/html")],
    )
    attachment = ticket.messages.get().attachments.get()
    url = reverse("attachment_download", args=[workspace.slug, ticket.number, attachment.pk])

    response = agent_client.get(url)

    assert response["Content-Disposition"] == 'attachment; filename="sayfa.html"'
    assert response["Content-Type"] == "text/html"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
