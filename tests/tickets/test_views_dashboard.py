"""The dashboard: numbers for everyone who may see stats, contents for nobody."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from destek.tickets import actions
from tests.tickets.conftest import page_text

SUBJECT = "Gizli-konu-91c2 iade"
CUSTOMER_NAME = "Saklı Müşteri Aydın"
CUSTOMER_EMAIL = "sakli.91c2@musteri.test"
BODY = "gizli-govde-91c2 kart numaram"
NOTE = "gizli-not-91c2"
FILENAME = "gizli-ek-91c2.pdf"


@pytest.fixture
def dashboard_url(workspace) -> str:
    return reverse("dashboard", args=[workspace.slug])


def test_owner_dashboard_shows_numbers_and_no_ticket_content(
    owner_client, agent, workspace, dashboard_url
):
    customer = actions.get_or_create_customer(
        workspace=workspace, email=CUSTOMER_EMAIL, name=CUSTOMER_NAME
    )
    ticket = actions.create_ticket(
        workspace=workspace,
        customer=customer,
        subject=SUBJECT,
        text=BODY,
        files=[SimpleUploadedFile(FILENAME, b"%PDF", "application/pdf")],
    )
    actions.add_note(ticket=ticket, actor=agent, text=NOTE)

    response = owner_client.get(dashboard_url)

    assert response.status_code == 200
    assert response.context["desk"].open == 1
    assert response.context["mine"] is None
    text = page_text(response)
    for secret in (SUBJECT, CUSTOMER_NAME, CUSTOMER_EMAIL, BODY, NOTE, FILENAME, ticket.code):
        assert secret not in text


def test_agent_also_sees_their_own_numbers(agent_client, agent, ticket, dashboard_url):
    actions.claim(ticket=ticket, actor=agent)

    response = agent_client.get(dashboard_url)

    assert response.context["mine"].assigned_open == 1
    assert "Bana atanmış açık talepler" in page_text(response)


def test_workspace_home_sends_owner_to_dashboard_and_agent_to_queue(
    owner_client, agent_client, workspace
):
    home = reverse("workspace_home", args=[workspace.slug])

    assert owner_client.get(home)["Location"] == reverse("dashboard", args=[workspace.slug])
    assert agent_client.get(home)["Location"] == reverse("ticket_queue", args=[workspace.slug])


def test_other_workspace_agent_gets_404(other_agent_client, dashboard_url):
    assert other_agent_client.get(dashboard_url).status_code == 404
