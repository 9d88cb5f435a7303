"""Customers, organizations, the desk's vocabulary and webhook endpoints over the API, and
merge and satisfaction ratings as webhook events."""

from __future__ import annotations

import json

from destek.accounts.models import Membership
from destek.api.models import WebhookDelivery, WebhookEndpoint
from destek.api.webhooks.manage import create_endpoint
from destek.portal.csat import rate
from destek.tickets import actions
from destek.tickets.models import Category, Customer, Organization, Team


def test_customers_are_created_changed_and_listed_with_their_tickets(agent_api, ticket, customer):
    created = agent_api.post(
        "customers", json={"email": "Ali@Magaza.test", "name": "Ali", "organization": "Mağaza A.Ş."}
    )
    again = agent_api.post("customers", json={"email": "ali@magaza.test"})
    etag = agent_api.get(f"customers/{customer.pk}")["ETag"]
    changed = agent_api.patch(
        f"customers/{customer.pk}", json={"phone": "0555 000 00 00"}, headers={"If-Match": etag}
    )
    stale = agent_api.patch(
        f"customers/{customer.pk}", json={"phone": "1"}, headers={"If-Match": etag}
    )
    tickets = agent_api.get(f"customers/{customer.pk}/tickets")

    assert created.status_code == 201
    assert created.json()["email"] == "ali@magaza.test"
    organization = Organization.objects.get()
    assert (organization.name, created.json()["organization"]) == ("Mağaza A.Ş.", organization.pk)
    assert again.status_code == 409
    assert (changed.status_code, changed.json()["phone"]) == (200, "0555 000 00 00")
    assert changed.json()["name"] == "Zeynep Kaya"
    assert stale.status_code == 412
    assert [t["code"] for t in tickets.json()] == [ticket.code]
    search = agent_api.get("customers?q=zeynep")
    assert [c["email"] for c in search.json()["items"]] == ["zeynep.kaya@musteri.test"]


def test_customer_pages_follow_a_cursor(agent_api, workspace):
    for n in range(3):
        Customer.objects.create(workspace=workspace, email=f"c{n}@m.test")

    first = agent_api.get("customers?limit=2").json()
    second = agent_api.get(f"customers?limit=2&cursor={first['next_cursor']}").json()

    assert [c["email"] for c in first["items"]] == ["c2@m.test", "c1@m.test"]
    assert [c["email"] for c in second["items"]] == ["c0@m.test"]
    assert second["next_cursor"] is None


def test_organizations_crud(agent_api, workspace):
    created = agent_api.post("organizations", json={"name": "Kaya İnşaat", "domain": "kaya.test"})
    pk = created.json()["id"]
    renamed = agent_api.put(f"organizations/{pk}", json={"name": "Kaya Yapı"})
    deleted = agent_api.delete(f"organizations/{pk}")

    assert (created.status_code, renamed.json()["name"]) == (201, "Kaya Yapı")
    assert deleted.status_code == 204
    assert agent_api.get(f"organizations/{pk}").status_code == 404


def test_categories_are_managed_by_admins_only(admin_api, agent_api, workspace):
    created = admin_api.post("categories", json={"name": "İade", "default_priority": "P1"})
    duplicate = admin_api.post("categories", json={"name": "İade"})
    refused = agent_api.post("categories", json={"name": "Başka"})
    listed = agent_api.get("categories")

    assert created.status_code == 201
    assert duplicate.status_code == 409
    assert refused.status_code == 403
    assert "İade" in [c["name"] for c in listed.json()]
    pk = created.json()["id"]
    assert admin_api.delete(f"categories/{pk}").status_code == 204
    assert not Category.objects.filter(pk=pk).exists()


def test_tags_teams_and_agents(agent_api, agent, admin, ticket, workspace):
    actions.set_tags(ticket=ticket, actor=agent, names=["kargo"])
    team = Team.objects.create(workspace=workspace, name="Teknik")
    team.members.add(Membership.objects.get(user=agent))

    tags = agent_api.get("tags").json()
    teams = agent_api.get("teams").json()
    agents = agent_api.get("agents").json()
    away = agent_api.put("agents/me/availability", json={"is_available": False})

    assert [t["name"] for t in tags] == ["kargo"]
    assert teams == [
        {"id": team.pk, "name": "Teknik", "assignment_mode": "manual", "members": [agent.pk]}
    ]
    assert {a["email"] for a in agents} >= {"ayse@anadolu.test", "yonetici@anadolu.test"}
    assert away.json()["is_available"] is False
    assert Membership.objects.get(user=agent).is_available is False


def test_ticket_team_changes_through_the_api(agent_api, ticket, workspace):
    team = Team.objects.create(workspace=workspace, name="Satış")

    response = agent_api.patch(f"tickets/{ticket.number}", json={"team": team.pk})

    assert response.json()["team"] == team.pk


def test_canned_replies_are_listed(agent_api, workspace):
    response = agent_api.get("canned-replies")

    assert response.status_code == 200
    assert len(response.json()) >= 1


def test_merge_moves_the_conversation(agent_api, workspace, customer, ticket):
    second = actions.create_ticket(workspace=workspace, customer=customer, subject="Yine", text="2")

    response = agent_api.post(f"tickets/{second.number}/merge", json={"into": ticket.number})

    assert response.status_code == 200
    assert response.json()["code"] == ticket.code
    merged = agent_api.get(f"tickets/{second.number}").json()
    assert (merged["status"], merged["merged_into"]) == ("closed", ticket.code)
    assert len(agent_api.get(f"tickets/{ticket.number}/messages").json()) == 2


def test_webhooks_api_shows_the_secret_once_and_refuses_bad_urls(admin_api, agent_api):
    created = admin_api.post(
        "webhooks", json={"url": "https://crm.example/hook", "events": ["ticket.created"]}
    )
    bad_url = admin_api.post("webhooks", json={"url": "ftp://x.test", "events": ["ticket.created"]})
    bad_event = admin_api.post("webhooks", json={"url": "https://x.test", "events": ["nope"]})

    assert created.status_code == 201
    endpoint = WebhookEndpoint.objects.get()
    assert created.json()["secret"] == endpoint.secret
    assert "secret" not in admin_api.get(f"webhooks/{endpoint.pk}").json()
    assert (bad_url.status_code, bad_event.status_code) == (422, 422)
    assert agent_api.get("webhooks").status_code == 403
    off = admin_api.patch(f"webhooks/{endpoint.pk}", json={"is_active": False})
    assert off.json()["is_active"] is False


def test_a_satisfaction_rating_is_a_csat_event(workspace, ticket, agent):
    create_endpoint(
        workspace=workspace,
        url="https://crm.example/hook",
        events=["csat.received"],
        is_active=True,
        is_internal=False,
    )
    actions.change_status(ticket=ticket, actor=agent, status="resolved")

    rate(ticket=ticket, score=5, comment="Çok hızlı")

    delivery = WebhookDelivery.objects.get()
    body = json.loads(delivery.body)
    assert (delivery.event, body["data"]["rating"]) == (
        "csat.received",
        {"score": 5, "comment": "Çok hızlı", "changed": False},
    )
