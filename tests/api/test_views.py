"""The pages: a member's own API tokens, and the webhook pages for admins."""

from __future__ import annotations

import re

from destek.api.models import ApiToken, WebhookDelivery, WebhookEndpoint
from destek.api.models.token import hash_token
from tests.api.conftest import ApiClient, token_for

TOKENS = "/w/anadolu/settings/api-tokens/"
WEBHOOKS = "/w/anadolu/settings/webhooks/"


def test_a_new_token_is_shown_once_and_then_works(agent_client):
    response = agent_client.post(
        TOKENS, {"name": "Web mağazası", "scopes": ["read", "write"], "expires_in": "30"}
    )

    assert response.status_code == 200
    raw = re.search(
        r"<code class=\"token\" data-token>(dst_[\w-]+)</code>", response.content.decode()
    )[1]
    token = ApiToken.objects.get()
    assert (token.name, token.scopes, token.token_hash) == (
        "Web mağazası",
        ["read", "write"],
        hash_token(raw),
    )
    assert token.expires_at is not None
    assert ApiClient(raw).get("me").json()["email"] == "ayse@anadolu.test"
    again = agent_client.get(TOKENS).content.decode()
    assert raw not in again and token.prefix in again


def test_a_revoked_token_stops_working(agent_client, agent, workspace):
    raw = token_for(agent, workspace)
    token = ApiToken.objects.get()

    response = agent_client.post(f"{TOKENS}{token.pk}/revoke/")

    assert response.status_code == 302
    assert ApiClient(raw).get("me").status_code == 401


def test_nobody_revokes_someone_elses_token(admin_client, agent, workspace):
    token_for(agent, workspace)
    token = ApiToken.objects.get()

    response = admin_client.post(f"{TOKENS}{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_owner_gets_a_token_that_reaches_numbers_only(owner_client, ticket):
    page = owner_client.post(TOKENS, {"name": "Rapor", "scopes": ["read"], "expires_in": ""})
    raw = re.search(r"data-token>(dst_[\w-]+)<", page.content.decode())[1]

    assert ApiClient(raw).get("me").status_code == 200
    assert ApiClient(raw).get("tickets").status_code == 403
    assert ApiClient(raw).get(f"tickets/{ticket.number}").status_code == 403


def test_an_admin_adds_a_webhook_and_sees_its_log(admin_client, workspace):
    response = admin_client.post(
        WEBHOOKS,
        {"url": "https://crm.example/hook", "events": ["ticket.created"], "is_active": "on"},
    )
    endpoint = WebhookEndpoint.objects.get()
    delivery = WebhookDelivery.objects.create(
        workspace=workspace, endpoint=endpoint, event="ticket.created", body="{}"
    )
    delivery.last_status_code = 503
    delivery.save()

    assert response.status_code == 302
    assert (endpoint.url, endpoint.events, endpoint.is_active) == (
        "https://crm.example/hook",
        ["ticket.created"],
        True,
    )
    page = admin_client.get(f"{WEBHOOKS}{endpoint.pk}/").content.decode()
    assert endpoint.secret in page and "503" in page
    redeliver = admin_client.post(f"{WEBHOOKS}{endpoint.pk}/deliveries/{delivery.pk}/redeliver/")
    assert redeliver.status_code == 302
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 2


def test_a_webhook_url_must_be_http(admin_client):
    response = admin_client.post(
        WEBHOOKS, {"url": "javascript:alert(1)", "events": ["ticket.created"]}
    )

    assert response.status_code == 400
    assert WebhookEndpoint.objects.count() == 0


def test_agents_and_the_owner_do_not_manage_webhooks(agent_client, owner_client):
    assert agent_client.get(WEBHOOKS).status_code == 403
    assert owner_client.get(WEBHOOKS).status_code == 403
