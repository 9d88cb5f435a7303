"""destek/privacy/views.py: a customer's KVKK export and erasure from the customer page."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse

from destek.accounts.models import AuditLog
from destek.privacy.erase import REDACTED
from destek.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def _urls(ticket):
    slug, pk = ticket.workspace.slug, ticket.customer_id
    return (
        reverse("customer_detail", args=[slug, pk]),
        reverse("customer_kvkk_export", args=[slug, pk]),
        reverse("customer_kvkk_erase", args=[slug, pk]),
    )


def test_admins_see_the_kvkk_actions_agents_do_not(admin_client, agent_client, mailed_ticket):
    page, export, erase = _urls(mailed_ticket)

    assert f'action="{export}"' in admin_client.get(page).content.decode()
    assert f'href="{erase}"' in admin_client.get(page).content.decode()
    assert export not in agent_client.get(page).content.decode()
    assert agent_client.post(export).status_code == 403
    assert agent_client.post(erase, {"confirm": "sukru.ozturk@musteri.test"}).status_code == 403


def test_the_export_zip_has_the_json_the_attachments_and_the_original_mail(
    admin_client, admin, mailed_ticket
):
    _, export, _ = _urls(mailed_ticket)

    response = admin_client.post(export)

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    data = json.loads(archive.read("veri.json"))
    assert [c["email"] for c in data["customers"]] == ["sukru.ozturk@musteri.test"]
    assert [t["code"] for t in data["tickets"]] == [mailed_ticket.code]
    assert (
        [n for n in names if n.startswith("ekler/")]
        == [
            f"ekler/{mailed_ticket.code}/{n.split('/')[-1]}"
            for n in names
            if n.startswith("ekler/")
        ]
        != []
    )
    emails = [n for n in names if n.startswith("e-postalar/")]
    assert len(emails) == 1
    assert b"Subject:" in archive.read(emails[0])
    assert names[-1] == "SHA256SUMS"
    entry = AuditLog.objects.get(action="customer.exported")
    assert (entry.actor, entry.target) == (admin, f"#{mailed_ticket.customer_id}")


def test_the_export_is_post_only(admin_client, mailed_ticket):
    _, export, _ = _urls(mailed_ticket)

    assert admin_client.get(export).status_code == 405


def test_erasure_asks_for_the_address_and_a_wrong_one_erases_nothing(admin_client, mailed_ticket):
    _, _, erase = _urls(mailed_ticket)

    page = admin_client.get(erase)
    response = admin_client.post(erase, {"confirm": "baska@musteri.test"})

    assert "Bu işlem geri alınamaz." in page.content.decode()
    assert "Adres tutmadı; hiçbir şey silinmedi." in response.content.decode()
    assert Ticket.objects.get(pk=mailed_ticket.pk).subject != REDACTED


def test_erasure_with_the_address_confirmed(admin_client, mailed_ticket):
    page, _, erase = _urls(mailed_ticket)

    response = admin_client.post(erase, {"confirm": "Sukru.Ozturk@musteri.test"}, follow=True)

    assert response.redirect_chain == [(page, 302)]
    assert "Müşterinin kişisel verileri silindi: 1 talep" in response.content.decode()
    assert Ticket.objects.get(pk=mailed_ticket.pk).subject == REDACTED
