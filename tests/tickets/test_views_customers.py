"""Customer list, one customer's page and correcting their details."""

from __future__ import annotations

import pytest
from django.urls import reverse

from destek.tickets import actions
from destek.tickets.models import Customer, Organization
from tests.tickets.conftest import page_text, shown_messages


@pytest.fixture
def list_url(workspace) -> str:
    return reverse("customer_list", args=[workspace.slug])


def detail_url(customer) -> str:
    return reverse("customer_detail", args=[customer.workspace.slug, customer.pk])


def edit_url(customer) -> str:
    return reverse("customer_edit", args=[customer.workspace.slug, customer.pk])


def listed(response) -> list[str]:
    return [customer.email for customer in response.context["page_obj"]]


def test_list_shows_customers_with_ticket_counts(
    agent_client, agent, list_url, ticket, make_ticket
):
    actions.change_status(ticket=make_ticket(), actor=agent, status="closed")

    response = agent_client.get(list_url)

    assert response.status_code == 200
    assert listed(response) == ["zeynep.kaya@musteri.test"]
    row = response.context["page_obj"][0]
    assert (row.open_count, row.ticket_count) == (1, 2)
    assert "1 açık / 2" in page_text(response)


def test_search_matches_name_email_or_organization(agent_client, workspace, customer, list_url):
    acme = Organization.objects.create(workspace=workspace, name="Acme Ltd")
    Customer.objects.create(workspace=workspace, email="ali@acme.test", organization=acme)

    assert listed(agent_client.get(list_url, {"q": "zeynep"})) == [customer.email]
    assert listed(agent_client.get(list_url, {"q": "ACME LTD"})) == ["ali@acme.test"]
    assert listed(agent_client.get(list_url, {"q": "musteri.test"})) == [customer.email]


def test_list_never_shows_another_workspaces_customers(agent_client, other_workspace, list_url):
    actions.get_or_create_customer(workspace=other_workspace, email="yabanci@baska.test")

    assert listed(agent_client.get(list_url)) == []


def test_list_pages_by_fifty(agent_client, workspace, list_url):
    Customer.objects.bulk_create(
        Customer(workspace=workspace, email=f"m{index:02}@musteri.test") for index in range(51)
    )

    assert len(listed(agent_client.get(list_url))) == 50
    assert len(listed(agent_client.get(list_url, {"page": 2}))) == 1


def test_owner_is_refused_customers(owner_client, list_url, customer):
    assert owner_client.get(list_url).status_code == 403
    assert owner_client.get(detail_url(customer)).status_code == 403


def test_detail_lists_all_their_tickets(agent_client, customer, ticket, make_ticket):
    second = make_ticket("Kargo gecikti")

    response = agent_client.get(detail_url(customer))

    assert [t.number for t in response.context["page_obj"]] == [second.number, ticket.number]
    assert "Kargo gecikti" in page_text(response)


def test_customer_of_another_workspace_is_404(other_agent_client, customer):
    assert other_agent_client.get(detail_url(customer)).status_code == 404


def test_edit_saves_details_and_finds_or_creates_the_organization(agent_client, customer):
    response = agent_client.post(
        edit_url(customer),
        {
            "name": "Zeynep K.",
            "phone": "+90 555 000 00 00",
            "organization": "Kaya Tekstil",
            "notes": "Sabah arayın.",
        },
        follow=True,
    )

    customer.refresh_from_db()
    assert (customer.name, customer.phone, customer.notes) == (
        "Zeynep K.",
        "+90 555 000 00 00",
        "Sabah arayın.",
    )
    assert customer.organization.name == "Kaya Tekstil"
    assert shown_messages(response) == ["Müşteri bilgileri kaydedildi."]


def test_edit_reuses_an_existing_organization(agent_client, workspace, customer):
    existing = Organization.objects.create(workspace=workspace, name="Kaya Tekstil")

    agent_client.post(edit_url(customer), {"name": "Zeynep", "organization": "kaya tekstil"})

    customer.refresh_from_db()
    assert customer.organization == existing
    assert Organization.objects.count() == 1


def test_edit_with_blank_organization_removes_it(agent_client, workspace, customer):
    actions.update_customer(customer=customer, name="Zeynep", organization_name="Kaya")

    agent_client.post(edit_url(customer), {"name": "Zeynep", "organization": ""})

    customer.refresh_from_db()
    assert customer.organization is None


def test_edit_must_be_posted(agent_client, customer):
    assert agent_client.get(edit_url(customer)).status_code == 405


def test_other_workspace_agent_cannot_edit(other_agent_client, customer):
    response = other_agent_client.post(edit_url(customer), {"name": "Değişti"})

    customer.refresh_from_db()
    assert response.status_code == 404
    assert customer.name == "Zeynep Kaya"
