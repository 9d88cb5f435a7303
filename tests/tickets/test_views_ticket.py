"""The ticket page: timeline, composer, side panel, attachments and canned replies."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from destek.tickets import actions
from destek.tickets.canned import due_text
from destek.tickets.models import Attachment, CannedReply, EventKind, Message, MessageKind
from destek.tickets.status import Status
from tests.tickets.conftest import page_text, shown_messages


def detail_url(ticket) -> str:
    return reverse("ticket_detail", args=[ticket.workspace.slug, ticket.number])


def action_url(name: str, ticket) -> str:
    return reverse(name, args=[ticket.workspace.slug, ticket.number])


# --- reading ------------------------------------------------------------------------------------


def test_agent_sees_subject_first_message_and_customer_card(agent_client, ticket):
    response = agent_client.get(detail_url(ticket))

    assert response.status_code == 200
    text = page_text(response)
    assert "DST-1" in text
    assert "Kredi kartıyla ödeme alamıyorum" in text
    assert "Sepette ödeme adımında hata alıyorum" in text
    assert "zeynep.kaya@musteri.test" in text


def test_owner_is_refused_the_ticket_page(owner_client, ticket):
    response = owner_client.get(detail_url(ticket))

    assert response.status_code == 403
    assert "Kredi kartıyla" not in page_text(response)


def test_agent_of_another_workspace_gets_404_on_the_ticket_page(other_agent_client, ticket):
    response = other_agent_client.get(detail_url(ticket))

    assert response.status_code == 404


def test_unknown_ticket_number_is_404(agent_client, workspace):
    response = agent_client.get(reverse("ticket_detail", args=[workspace.slug, 999]))

    assert response.status_code == 404


def test_events_are_shown_as_sentences_in_the_timeline(agent_client, agent, ticket):
    actions.change_status(ticket=ticket, actor=agent, status=Status.OPEN)

    response = agent_client.get(detail_url(ticket))

    assert "Ayşe Yılmaz durumu Yeni → İnceleniyor olarak değiştirdi" in page_text(response)


def test_internal_note_is_marked_as_never_shown_to_the_customer(agent_client, agent, ticket):
    actions.add_note(ticket=ticket, actor=agent, text="Kargo firmasını aradım.")

    text = page_text(agent_client.get(detail_url(ticket)))

    assert 'class="message message-note"' in text
    assert "Dahili not — müşteriye asla gösterilmez" in text
    assert "Kargo firmasını aradım." in text


def test_message_html_is_shown_when_present(agent_client, workspace, customer):
    ticket = actions.create_ticket(
        workspace=workspace,
        customer=customer,
        subject="Fatura",
        text="düz metin",
        html="<p>Faturam <strong>gelmedi</strong></p>",
    )

    text = page_text(agent_client.get(detail_url(ticket)))

    # Inside the sandboxed frame's srcdoc (tests/tickets/test_views_mail_frame.py).
    assert "&lt;p&gt;Faturam &lt;strong&gt;gelmedi&lt;/strong&gt;&lt;/p&gt;" in text
    assert "düz metin" not in text


def test_message_text_is_shown_with_line_breaks_and_escaped(agent_client, workspace, customer):
    ticket = actions.create_ticket(
        workspace=workspace, customer=customer, subject="Fatura", text="ilk satır\n<b>ikinci</b>"
    )

    text = page_text(agent_client.get(detail_url(ticket)))

    assert "<p>ilk satır<br>&lt;b&gt;ikinci&lt;/b&gt;</p>" in text


def test_status_select_offers_only_allowed_moves(agent_client, agent, ticket):
    actions.change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)

    form = agent_client.get(detail_url(ticket)).context["status_form"]

    assert [value for value, _ in form.fields["status"].widget.choices] == [
        "open",
        "resolved",
        "closed",
    ]


def test_follow_up_links_point_both_ways(agent_client, agent, ticket, customer):
    actions.change_status(ticket=ticket, actor=agent, status=Status.CLOSED)
    follow_up = actions.add_customer_message(
        ticket=ticket, customer=customer, text="Yine oldu"
    ).ticket

    original_page = page_text(agent_client.get(detail_url(ticket)))
    follow_up_page = page_text(agent_client.get(detail_url(follow_up)))

    assert f'href="{detail_url(follow_up)}">DST-2</a>' in original_page
    assert f'href="{detail_url(ticket)}">DST-1</a>' in follow_up_page


def test_customer_card_lists_their_other_tickets(agent_client, ticket, make_ticket):
    other = make_ticket("Kargo gecikti")

    response = agent_client.get(detail_url(ticket))

    assert [t.number for t in response.context["history"]] == [other.number]
    assert "Kargo gecikti" in page_text(response)


def test_ticket_page_query_count_does_not_grow_with_messages(agent_client, agent, make_ticket):
    agent_client.get(detail_url(make_ticket()))  # the session learns its workspace once

    def queries_for(message_count: int) -> int:
        ticket = make_ticket(files=[SimpleUploadedFile("a.txt", b"a", "text/plain")])
        for index in range(message_count - 1):
            add = actions.add_note if index % 2 else actions.reply
            add(ticket=ticket, actor=agent, text=f"mesaj {index}")
        with CaptureQueriesContext(connection) as captured:
            assert agent_client.get(detail_url(ticket)).status_code == 200
        return len(captured)

    assert queries_for(2) == queries_for(20)


# --- attachments --------------------------------------------------------------------------------


def test_attachment_downloads_as_attachment_with_nosniff(agent_client, attachment):
    ticket = attachment.message.ticket
    url = reverse("attachment_download", args=[ticket.workspace.slug, ticket.number, attachment.pk])

    response = agent_client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG ekran"
    assert response["Content-Disposition"] == 'attachment; filename="hata.png"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_attachment_of_another_workspace_is_404(other_agent_client, attachment):
    ticket = attachment.message.ticket
    url = reverse("attachment_download", args=[ticket.workspace.slug, ticket.number, attachment.pk])

    assert other_agent_client.get(url).status_code == 404


def test_attachment_under_the_wrong_ticket_number_is_404(agent_client, attachment, ticket):
    url = reverse("attachment_download", args=[ticket.workspace.slug, ticket.number, attachment.pk])

    assert agent_client.get(url).status_code == 404


def test_attachment_links_are_listed_under_their_message(agent_client, attachment):
    ticket = attachment.message.ticket
    url = reverse("attachment_download", args=[ticket.workspace.slug, ticket.number, attachment.pk])

    text = page_text(agent_client.get(detail_url(ticket)))

    assert f'<a href="{url}" download>hata.png</a>' in text


# --- replying and notes -------------------------------------------------------------------------


def test_reply_moves_new_ticket_to_open_and_sets_first_response(agent_client, agent, ticket):
    response = agent_client.post(action_url("ticket_reply", ticket), {"text": "Bakıyoruz."})

    ticket.refresh_from_db()
    reply = Message.objects.get(ticket=ticket, kind=MessageKind.REPLY)
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(ticket)}#m{reply.pk}"
    assert ticket.status == Status.OPEN
    assert ticket.first_response_at == reply.created_at
    assert reply.author == agent
    assert reply.html == "<p>Bakıyoruz.</p>\n"


def test_reply_shows_a_confirmation(agent_client, ticket):
    response = agent_client.post(
        action_url("ticket_reply", ticket), {"text": "Bakıyoruz."}, follow=True
    )

    assert shown_messages(response) == ["Yanıt kaydedildi; müşteriye e-postayla gönderilecek."]


def test_reply_can_set_the_status_at_the_same_time(agent_client, ticket):
    agent_client.post(
        action_url("ticket_reply", ticket), {"text": "Bilgi bekliyoruz.", "status": "pending"}
    )

    ticket.refresh_from_db()
    assert ticket.status == Status.PENDING
    assert list(
        ticket.events.filter(kind=EventKind.STATUS).values_list("old_value", "new_value")
    ) == [("new", "open"), ("open", "pending")]


def test_reply_stores_several_attachments(agent_client, ticket):
    files = [
        SimpleUploadedFile("fatura.pdf", b"%PDF-1.4", "application/pdf"),
        SimpleUploadedFile("ekran.png", b"\x89PNG", "image/png"),
    ]

    agent_client.post(action_url("ticket_reply", ticket), {"text": "Ekte.", "files": files})

    reply = Message.objects.get(ticket=ticket, kind=MessageKind.REPLY)
    assert sorted(reply.attachments.values_list("filename", "size")) == [
        ("ekran.png", 4),
        ("fatura.pdf", 8),
    ]


def test_reply_over_the_attachment_limit_is_refused_with_a_clear_error(
    agent_client, ticket, settings
):
    settings.MAX_ATTACHMENT_BYTES = 10
    files = [
        SimpleUploadedFile("a.bin", b"123456", "application/octet-stream"),
        SimpleUploadedFile("b.bin", b"123456", "application/octet-stream"),
    ]

    response = agent_client.post(
        action_url("ticket_reply", ticket), {"text": "Ekte.", "files": files}
    )

    assert response.status_code == 200
    assert response.context["reply_form"].errors["files"] == [
        "Eklerin toplam boyutu 12\xa0bayt; en fazla 10\xa0bayt olabilir."
    ]
    assert "Ekte." in page_text(response)  # the draft is kept
    assert not Message.objects.filter(kind=MessageKind.REPLY).exists()
    assert not Attachment.objects.filter(message__ticket=ticket, message__kind="reply").exists()


def test_reply_with_a_refused_status_is_not_saved(agent_client, agent, ticket):
    response = agent_client.post(
        action_url("ticket_reply", ticket), {"text": "Tamam.", "status": "new"}
    )

    assert response.status_code == 200
    assert response.context["reply_form"].errors["status"]
    assert not Message.objects.filter(kind=MessageKind.REPLY).exists()


def test_reply_to_a_closed_ticket_shows_why_it_was_refused(agent_client, agent, ticket):
    actions.change_status(ticket=ticket, actor=agent, status=Status.CLOSED)

    response = agent_client.post(action_url("ticket_reply", ticket), {"text": "Merhaba"})

    assert response.status_code == 200
    assert shown_messages(response) == ["Kapanmış bir talebe yanıt yazılamaz."]
    assert not Message.objects.filter(kind=MessageKind.REPLY).exists()


def test_reply_must_be_posted(agent_client, ticket):
    assert agent_client.get(action_url("ticket_reply", ticket)).status_code == 405


def test_note_is_stored_and_leaves_the_status_alone(agent_client, agent, ticket):
    response = agent_client.post(action_url("ticket_note", ticket), {"text": "Müşteri VIP."})

    ticket.refresh_from_db()
    note = Message.objects.get(ticket=ticket, kind=MessageKind.NOTE)
    assert response.status_code == 302
    assert note.text == "Müşteri VIP."
    assert note.author == agent
    assert ticket.status == Status.NEW
    assert ticket.first_response_at is None


def test_empty_note_is_refused_on_the_page(agent_client, ticket):
    response = agent_client.post(action_url("ticket_note", ticket), {"text": ""})

    assert response.status_code == 200
    assert response.context["note_form"].errors["text"] == ["Bu alan zorunludur."]
    assert not Message.objects.filter(kind=MessageKind.NOTE).exists()


# --- side panel ---------------------------------------------------------------------------------


def test_claim_assigns_the_ticket_to_me_and_opens_it(agent_client, agent, ticket):
    response = agent_client.post(action_url("ticket_claim", ticket), follow=True)

    ticket.refresh_from_db()
    assert ticket.assignee == agent
    assert ticket.status == Status.OPEN
    assert shown_messages(response) == ["Talep üzerinize alındı."]
    assert "Ayşe Yılmaz talebi üzerine aldı" in page_text(response)


def test_agent_posting_an_invalid_transition_sees_the_error(agent_client, agent, ticket):
    actions.change_status(ticket=ticket, actor=agent, status=Status.OPEN)

    response = agent_client.post(
        action_url("ticket_status", ticket), {"status": "new"}, follow=True
    )

    ticket.refresh_from_db()
    assert response.status_code == 200
    assert shown_messages(response) == ["“İnceleniyor” durumundan “Yeni” durumuna geçilemez."]
    assert ticket.status == Status.OPEN
    assert ticket.events.filter(kind=EventKind.STATUS).count() == 1


def test_status_change_writes_an_event(agent_client, agent, ticket):
    agent_client.post(action_url("ticket_status", ticket), {"status": "pending"})

    event = ticket.events.get(kind=EventKind.STATUS)
    assert (event.actor, event.old_value, event.new_value) == (agent, "new", "pending")


def test_unknown_status_value_is_reported(agent_client, ticket):
    response = agent_client.post(
        action_url("ticket_status", ticket), {"status": "deleted"}, follow=True
    )

    assert shown_messages(response) == [
        "Geçerli bir seçenek seçin. deleted mevcut seçeneklerden biri değil."
    ]


def test_assign_to_an_admin(agent_client, admin, ticket):
    agent_client.post(action_url("ticket_assign", ticket), {"assignee": admin.pk})

    ticket.refresh_from_db()
    assert ticket.assignee == admin
    assert ticket.events.get(kind=EventKind.ASSIGNEE).new_value == admin.display_name


def test_assign_back_to_nobody(agent_client, agent, ticket):
    actions.assign(ticket=ticket, actor=agent, assignee=agent)

    agent_client.post(action_url("ticket_assign", ticket), {"assignee": "none"})

    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_cannot_assign_to_someone_outside_the_workspace(agent_client, other_agent, ticket):
    response = agent_client.post(
        action_url("ticket_assign", ticket), {"assignee": other_agent.pk}, follow=True
    )

    ticket.refresh_from_db()
    assert ticket.assignee is None
    assert len(shown_messages(response)) == 1
    assert "Geçerli bir seçenek seçin." in shown_messages(response)[0]


def test_owner_is_not_offered_as_assignee(agent_client, owner, ticket):
    form = agent_client.get(detail_url(ticket)).context["assign_form"]

    assert str(owner.pk) not in dict(form.fields["assignee"].choices)


def test_set_priority(agent_client, ticket):
    agent_client.post(action_url("ticket_priority", ticket), {"priority": "P0"})

    ticket.refresh_from_db()
    assert ticket.priority == "P0"
    assert ticket.events.get(kind=EventKind.PRIORITY).new_value == "P0"


def test_set_category_from_the_workspace(agent_client, ticket, workspace):
    category = workspace_category(workspace, "Sipariş / fatura")

    agent_client.post(action_url("ticket_category", ticket), {"category": category.pk})

    ticket.refresh_from_db()
    assert ticket.category == category


def test_category_of_another_workspace_is_refused(agent_client, ticket, other_workspace):
    foreign = workspace_category(other_workspace, "Sipariş / fatura")

    agent_client.post(action_url("ticket_category", ticket), {"category": foreign.pk})

    ticket.refresh_from_db()
    assert ticket.category is None


def test_set_tags_from_a_comma_separated_list(agent_client, ticket):
    agent_client.post(action_url("ticket_tags", ticket), {"tags": "Kargo, iade ,, kargo"})

    assert sorted(ticket.tags.values_list("name", flat=True)) == ["iade", "kargo"]
    assert ticket.events.get(kind=EventKind.TAGS).new_value == "iade, kargo"


def workspace_category(workspace, name: str):
    from destek.tickets.models import Category

    return Category.objects.get(workspace=workspace, name=name)


# --- canned replies -----------------------------------------------------------------------------


def canned_url(ticket, canned) -> str:
    return reverse("canned_reply_text", args=[ticket.workspace.slug, ticket.number, canned.pk])


def first_canned(workspace) -> CannedReply:
    return CannedReply.objects.filter(workspace=workspace).first()


def test_canned_reply_comes_back_as_filled_plain_text_for_htmx(agent_client, ticket, workspace):
    response = agent_client.get(canned_url(ticket, first_canned(workspace)), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    ticket.refresh_from_db()
    due = due_text(ticket.resolution_due_at, ticket)
    assert response.content.decode() == (
        "Merhaba Zeynep,\n\nTalebinizi aldık (DST-1). İnceleyip size dönüş yapacağız; hedefimiz "
        f"talebinizi {due} tarihine kadar çözmek.\n\nSaygılarımızla,\nAyşe Yılmaz"
    )


def test_canned_reply_without_javascript_fills_the_reply_box(agent_client, ticket, workspace):
    canned = first_canned(workspace)

    response = agent_client.get(canned_url(ticket, canned), follow=True)

    assert response.redirect_chain == [(f"{detail_url(ticket)}?canned={canned.pk}#composer", 302)]
    assert response.context["reply_form"].initial["text"].startswith("Merhaba Zeynep,")


def test_canned_reply_of_another_workspace_is_404(agent_client, ticket, other_workspace):
    response = agent_client.get(
        canned_url(ticket, first_canned(other_workspace)), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 404


def test_customer_card_counts_all_other_tickets_and_lists_the_newest(
    agent_client, workspace, make_ticket, monkeypatch
):
    monkeypatch.setattr("destek.tickets.views.ticket.HISTORY_ROWS", 2)
    older = [make_ticket(f"Eski {index}") for index in range(3)]
    ticket = make_ticket("Bugünkü")
    url = reverse("ticket_detail", args=[workspace.slug, ticket.number])

    page = page_text(agent_client.get(url))
    card = page[page.index('class="card customer-card"') :]
    card = card[: card.index("</div>")]

    assert "Diğer talepleri (3)" in card
    assert f">{older[2].code}<" in card and f">{older[1].code}<" in card
    assert f">{older[0].code}<" not in card
    assert "Tüm talepleri gör" in card


def test_customer_card_without_other_tickets(agent_client, workspace, make_ticket):
    ticket = make_ticket()

    text = page_text(
        agent_client.get(reverse("ticket_detail", args=[workspace.slug, ticket.number]))
    )

    assert "Diğer talebi (0)" in text or "Diğer talepleri (0)" in text
    assert "Başka talebi yok." in text
