"""The quarantine page: what could not be processed, its raw original, retry and "create ticket
anyway" — for admins only."""

from __future__ import annotations

import hashlib

import pytest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from destek.mail.models import InboundEmail, InboundStatus, Mailbox
from destek.tickets.models import Ticket
from tests.conftest import client_for

GOOD = (
    b"From: Zeynep Kaya <zeynep.kaya@musteri.test>\r\n"
    b"To: destek@anadolu.test\r\n"
    b"Subject: =?utf-8?q?Sipari=C5=9F_gecikti?=\r\n"
    b"Message-ID: <karantina-1@musteri.test>\r\n"
    b"Date: Mon, 18 Mar 2024 10:00:00 +0300\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"Sipari\xc5\x9fim hala gelmedi.\r\n"
)
NO_SENDER = (
    b"To: destek@anadolu.test\r\n"
    b"Subject: Gondereni olmayan\r\n"
    b"Message-ID: <karantina-2@musteri.test>\r\n"
    b"\r\n"
    b"Kimden geldigi belli degil.\r\n"
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def mailbox(workspace) -> Mailbox:
    return Mailbox.objects.create(workspace=workspace, address="destek@anadolu.test")


def stored(mailbox: Mailbox, raw: bytes, status: str, error: str = "") -> InboundEmail:
    return InboundEmail.objects.create(
        workspace=mailbox.workspace,
        mailbox=mailbox,
        source="pipe",
        raw=raw,
        size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
        status=status,
        error=error,
    )


@pytest.fixture
def quarantined(mailbox) -> InboundEmail:
    return stored(mailbox, NO_SENDER, InboundStatus.QUARANTINED, "İletide gönderen adresi yok.")


def url(name: str, inbound: InboundEmail) -> str:
    return reverse(name, args=[inbound.workspace.slug, inbound.pk])


def list_url(workspace) -> str:
    return reverse("quarantine", args=[workspace.slug])


def test_lists_quarantined_mail_with_mailbox_error_size_and_hash(
    admin_client, workspace, quarantined, mailbox
):
    stored(mailbox, GOOD, InboundStatus.PROCESSED)

    response = admin_client.get(list_url(workspace))

    assert [row.pk for row in response.context["page"]] == [quarantined.pk]
    body = response.content.decode()
    assert "İletide gönderen adresi yok." in body
    assert "destek@anadolu.test" in body
    assert quarantined.sha256 in body
    assert filesizeformat(len(NO_SENDER)) in body


def test_ignored_mail_is_listed_under_its_own_tab(admin_client, workspace, quarantined, mailbox):
    ignored = stored(mailbox, GOOD, InboundStatus.IGNORED)

    response = admin_client.get(list_url(workspace) + "?status=ignored")

    assert [row.pk for row in response.context["page"]] == [ignored.pk]


def test_raw_download_is_exactly_the_stored_bytes(admin_client, quarantined):
    response = admin_client.get(url("inbound_raw", quarantined))

    assert response.status_code == 200
    assert response.content == NO_SENDER
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_retry_processes_a_mail_that_can_now_become_a_ticket(admin_client, mailbox):
    inbound = stored(mailbox, GOOD, InboundStatus.QUARANTINED, "Veritabanı çakışması.")

    response = admin_client.post(url("inbound_retry", inbound), follow=True)

    inbound.refresh_from_db()
    assert inbound.status == InboundStatus.PROCESSED
    assert inbound.ticket.subject == "Sipariş gecikti"
    assert "E-posta işlendi ve talebe eklendi." in response.content.decode()


def test_retry_of_mail_that_still_fails_stays_quarantined_and_says_why(admin_client, quarantined):
    response = admin_client.post(url("inbound_retry", quarantined), follow=True)

    quarantined.refresh_from_db()
    assert quarantined.status == InboundStatus.QUARANTINED
    assert "E-posta yine işlenemedi: İletide gönderen adresi yok." in response.content.decode()


def test_create_ticket_anyway_opens_a_ticket_and_shows_it(admin_client, quarantined):
    response = admin_client.post(url("inbound_force", quarantined))

    quarantined.refresh_from_db()
    assert quarantined.status == InboundStatus.PROCESSED
    ticket = Ticket.objects.get()
    assert ticket.subject == "Gondereni olmayan"
    assert response["Location"] == reverse(
        "ticket_detail", args=[ticket.workspace.slug, ticket.number]
    )


def test_create_ticket_anyway_of_an_empty_mail_shows_the_error(admin_client, mailbox):
    empty = stored(mailbox, b"\r\n", InboundStatus.QUARANTINED, "İleti boş.")

    response = admin_client.post(url("inbound_force", empty), follow=True)

    assert "Talep oluşturulamadı" in response.content.decode()
    assert not Ticket.objects.exists()


def test_actions_must_be_posted(admin_client, quarantined):
    assert admin_client.get(url("inbound_retry", quarantined)).status_code == 405
    assert admin_client.get(url("inbound_force", quarantined)).status_code == 405


@pytest.mark.parametrize("role", ["agent", "owner"])
def test_quarantine_is_for_admins_only(request, workspace, quarantined, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(list_url(workspace)).status_code == 403
    assert client.get(url("inbound_raw", quarantined)).status_code == 403
    assert client.post(url("inbound_force", quarantined)).status_code == 403
    quarantined.refresh_from_db()
    assert quarantined.status == InboundStatus.QUARANTINED


def test_other_workspace_gets_404(other_agent_client, workspace, quarantined):
    assert other_agent_client.get(list_url(workspace)).status_code == 404
    assert other_agent_client.get(url("inbound_raw", quarantined)).status_code == 404


def test_inbound_of_another_workspace_is_404_under_this_workspace(
    admin_client, workspace, other_workspace
):
    foreign_box = Mailbox.objects.create(workspace=other_workspace, address="b@baska.test")
    foreign = stored(foreign_box, GOOD, InboundStatus.QUARANTINED)

    response = admin_client.get(reverse("inbound_raw", args=[workspace.slug, foreign.pk]))

    assert response.status_code == 404
