import time

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from destek.portal import spam
from destek.portal.models import MagicLink
from destek.tickets.models import Category, Customer, Ticket
from tests.portal.conftest import LINK, signed_in

FORM = "/s/anadolu/yeni/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def form(**fields) -> dict:
    data = {
        "name": "Deniz Aksoy",
        "email": "deniz@misafir.test",
        "subject": "Kargom gelmedi",
        "description": "Siparişim 5 gündür kargoda görünüyor.",
        "website": "",
        "started": spam.started_token(time.time() - 10),
    }
    data.update(fields)
    return data


def test_a_guest_opens_a_ticket_and_gets_the_acknowledgement(workspace):
    response = Client().post(FORM, form())
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.customer.email, ticket.customer.name) == (
        "Kargom gelmedi",
        "deniz@misafir.test",
        "Deniz Aksoy",
    )
    assert ticket.messages.get().text == "Siparişim 5 gündür kargoda görünüyor."
    confirmation = Client().get(response["Location"]).content.decode()
    assert ticket.code in confirmation
    [ack] = mail.outbox
    assert ack.to == ["deniz@misafir.test"]
    assert ack.subject == f"[{ticket.code}] Talebiniz alındı"
    assert f"takip kodunuz {ticket.code}" in ack.body
    link = LINK.search(ack.body).group(0)
    assert f"next=%2Fs%2Fanadolu%2Ftalepler%2F{ticket.number}%2F" in link
    assert MagicLink.objects.get().customer == ticket.customer


def test_the_acknowledgement_link_opens_the_ticket(workspace):
    Client().post(FORM, form())
    ticket = Ticket.objects.get()
    link = LINK.search(mail.outbox[0].body).group(0)
    client = Client()
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    response = client.post(path)
    assert response["Location"] == f"/s/anadolu/talepler/{ticket.number}/"
    assert ticket.subject in client.get(response["Location"]).content.decode()


def test_a_signed_in_customer_types_no_name_or_address(workspace, customer):
    client = signed_in(customer)
    page = client.get(FORM).content.decode()
    assert 'name="email"' not in page
    response = client.post(FORM, form(name="", email=""))
    assert response.status_code == 302
    assert Ticket.objects.get().customer == customer


def test_an_existing_customer_is_found_by_address(workspace, customer):
    Client().post(FORM, form(email="ZEYNEP.KAYA@musteri.test"))
    assert Customer.objects.filter(workspace=workspace).count() == 1
    assert Ticket.objects.get().customer == customer


@pytest.mark.parametrize(
    "missing", ["name", "email", "subject", "description"], ids=lambda name: name
)
def test_required_fields(workspace, missing):
    response = Client().post(FORM, form(**{missing: ""}))
    assert response.status_code == 400
    assert "Bu alan zorunludur." in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_bad_address_is_refused(workspace):
    response = Client().post(FORM, form(email="deniz@"))
    assert response.status_code == 400
    assert "Geçerli bir e-posta adresi girin." in response.content.decode()


def test_the_honeypot_stops_a_bot(workspace):
    response = Client().post(FORM, form(website="http://spam.test"))
    assert response.status_code == 400
    assert "Formunuz gönderilemedi" in response.content.decode()
    assert not Ticket.objects.exists() and not mail.outbox


def test_a_form_sent_too_fast_is_refused(workspace):
    response = Client().post(FORM, form(started=spam.started_token()))
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_a_forged_start_time_is_refused(workspace):
    assert Client().post(FORM, form(started="12345")).status_code == 400
    assert Client().post(FORM, form(started="")).status_code == 400
    assert not Ticket.objects.exists()


def test_a_day_old_form_is_refused(workspace):
    old = spam.started_token(time.time() - spam.MAX_SECONDS - 60)
    assert Client().post(FORM, form(started=old)).status_code == 400


def test_tickets_per_ip_are_limited(workspace):
    client = Client()
    answers = [
        client.post(FORM, form(email=f"kisi{n}@misafir.test")).status_code for n in range(11)
    ]
    assert answers == [302] * 10 + [429]
    assert Ticket.objects.count() == 10


def test_tickets_per_address_are_limited(workspace):
    answers = [Client(REMOTE_ADDR=f"10.0.0.{n}").post(FORM, form()).status_code for n in range(6)]
    assert answers == [302] * 5 + [429]


def test_only_public_categories_are_offered(workspace):
    internal = Category.objects.filter(workspace=workspace).first()
    internal.is_public = False
    internal.save()
    page = Client().get(FORM).content.decode()
    assert f'value="{internal.pk}"' not in page
    response = Client().post(FORM, form(category=internal.pk))
    assert response.status_code == 400
    public = Category.objects.filter(workspace=workspace, is_public=True).first()
    assert Client().post(FORM, form(category=public.pk)).status_code == 302
    assert Ticket.objects.get().category == public


def test_another_workspaces_category_is_refused(workspace, other_workspace):
    foreign = Category.objects.filter(workspace=other_workspace).first()
    assert Client().post(FORM, form(category=foreign.pk)).status_code == 400


def test_a_screenshot_is_attached(workspace):
    shot = SimpleUploadedFile("ekran.png", PNG, "image/png")
    assert Client().post(FORM, form(files=[shot])).status_code == 302
    [attachment] = Ticket.objects.get().messages.get().attachments.all()
    assert (attachment.filename, attachment.size) == ("ekran.png", len(PNG))


def test_a_forbidden_file_type_is_named_in_the_error(workspace):
    bad = SimpleUploadedFile("kurulum.exe", b"MZ\x90\x00", "application/octet-stream")
    response = Client().post(FORM, form(files=[bad]))
    assert response.status_code == 400
    assert "“kurulum.exe” eklenemez: bu dosya türü kabul edilmiyor." in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_total_size_is_limited(workspace, settings):
    settings.MAX_ATTACHMENT_BYTES = 100
    files = [
        SimpleUploadedFile("a.png", PNG, "image/png"),
        SimpleUploadedFile("b.png", PNG, "image/png"),
    ]
    response = Client().post(FORM, form(files=files))
    assert response.status_code == 400
    text = "Eklerin toplam boyutu 144\xa0bayt; en fazla 100\xa0bayt olabilir."
    assert text in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_default_total_is_twenty_megabytes(settings):
    assert settings.MAX_ATTACHMENT_BYTES == 20 * 1024 * 1024


def test_an_empty_file_is_refused(workspace):
    response = Client().post(
        FORM, form(files=[SimpleUploadedFile("bos.pdf", b"", "application/pdf")])
    )
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_at_most_ten_files(workspace):
    files = [SimpleUploadedFile(f"{n}.png", PNG, "image/png") for n in range(11)]
    response = Client().post(FORM, form(files=files))
    assert response.status_code == 400
    assert "En fazla 10 dosya ekleyebilirsiniz." in response.content.decode()


def test_the_confirmation_page_needs_its_signed_ticket(workspace, ticket):
    response = Client().get(f"/s/anadolu/yeni/alindi/?t={ticket.pk}")
    assert response.status_code == 302
    assert response["Location"] == FORM
