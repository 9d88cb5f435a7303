"""What every operation shares: tokens and scopes, idempotency keys, ETag / If-Match, the rate
limit, and problem details for paths and methods that don't exist."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from destek.accounts.models import Membership
from destek.accounts.permissions import ROLE_CAPABILITIES
from destek.api.models import ApiToken, IdempotencyRecord
from destek.api.models.token import hash_token
from destek.tickets.models import Ticket
from tests.api.conftest import ApiClient, token_for

NEW_TICKET = {"customer_email": "ali@magaza.test", "subject": "Sipariş", "text": "Nerede?"}


def test_a_token_is_stored_hashed_and_shown_once(agent, workspace):
    membership = Membership.objects.get(user=agent, workspace=workspace)

    token, raw = ApiToken.issue(membership=membership, name="Mağaza", scopes=["read", "bogus"])

    assert raw.startswith("dst_") and len(raw) > 40
    assert token.token_hash == hash_token(raw) != raw
    assert token.prefix == raw[:10]
    assert token.scopes == ["read"]


def test_me_tells_who_the_token_acts_as(owner_api, owner):
    response = owner_api.get("me")

    assert response.status_code == 200
    assert response.json() == {
        "id": owner.pk,
        "email": "patron@anadolu.test",
        "name": "Patron Bey",
        "role": "owner",
        "workspace": "anadolu",
        "scopes": ["admin", "read", "write"],
        "capabilities": sorted(ROLE_CAPABILITIES["owner"]),
    }


def test_revoked_expired_and_unknown_tokens_are_401(agent, workspace):
    raw = token_for(agent, workspace)
    token = ApiToken.objects.get()

    assert ApiClient(raw).get("me").status_code == 200
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save()
    assert ApiClient(raw).get("me").status_code == 401
    token.expires_at, token.revoked_at = None, timezone.now()
    token.save()
    assert ApiClient(raw).get("me").status_code == 401
    assert ApiClient("dst_unknown").get("me").status_code == 401


def test_a_removed_member_s_token_stops_working(agent, workspace):
    raw = token_for(agent, workspace)
    Membership.objects.filter(user=agent).update(is_active=False)

    assert ApiClient(raw).get("me").status_code == 401


def test_last_use_is_recorded(agent_api):
    agent_api.get("me")

    assert ApiToken.objects.get().last_used_at is not None


def test_a_read_scoped_token_cannot_write(agent, workspace):
    api = ApiClient(token_for(agent, workspace, scopes=["read"]))

    assert api.get("tickets").status_code == 200
    response = api.post("tickets", json=NEW_TICKET)
    assert response.status_code == 403
    assert response.json()["type"] == "urn:destek:problem:insufficient-scope"
    assert Ticket.objects.count() == 0


def test_the_admin_scope_does_not_lift_an_agents_role(agent, workspace):
    api = ApiClient(token_for(agent, workspace, scopes=["admin", "read", "write"]))

    response = api.post("categories", json={"name": "Yeni"})

    assert response.status_code == 403
    assert response.json()["type"] == "urn:destek:problem:forbidden"


def test_a_repeated_idempotency_key_gets_the_first_answer(agent_api):
    headers = {"Idempotency-Key": "order-1042"}

    first = agent_api.post("tickets", json=NEW_TICKET, headers=headers)
    again = agent_api.post("tickets", json=NEW_TICKET, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Ticket.objects.count() == 1
    assert IdempotencyRecord.objects.get().key == "order-1042"


def test_an_idempotency_key_is_per_token(agent_api, admin_api):
    headers = {"Idempotency-Key": "order-1042"}

    agent_api.post("tickets", json=NEW_TICKET, headers=headers)
    admin_api.post("tickets", json=NEW_TICKET, headers=headers)

    assert Ticket.objects.count() == 2


def test_an_idempotency_key_reused_for_another_request_is_refused(agent_api):
    headers = {"Idempotency-Key": "k1"}
    agent_api.post("tickets", json=NEW_TICKET, headers=headers)

    response = agent_api.post("tickets", json={**NEW_TICKET, "subject": "Başka"}, headers=headers)

    assert response.status_code == 422
    assert response.json()["type"] == "urn:destek:problem:idempotency-key-reused"
    assert Ticket.objects.count() == 1


def test_a_failed_create_does_not_use_up_its_key(agent_api):
    headers = {"Idempotency-Key": "k2"}

    bad = agent_api.post("tickets", json={**NEW_TICKET, "category": 999}, headers=headers)
    assert IdempotencyRecord.objects.count() == 0
    good = agent_api.post("tickets", json=NEW_TICKET, headers=headers)

    assert (bad.status_code, good.status_code) == (422, 201)
    assert IdempotencyRecord.objects.count() == 1


def test_if_match_with_the_current_etag_updates(agent_api, ticket):
    etag = agent_api.get(f"tickets/{ticket.number}")["ETag"]

    response = agent_api.patch(
        f"tickets/{ticket.number}", json={"priority": "P1"}, headers={"If-Match": etag}
    )

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_if_match_with_a_stale_etag_is_412_and_changes_nothing(agent_api, admin_api, ticket):
    etag = agent_api.get(f"tickets/{ticket.number}")["ETag"]
    admin_api.patch(f"tickets/{ticket.number}", json={"priority": "P0"})

    response = agent_api.patch(
        f"tickets/{ticket.number}", json={"priority": "P3"}, headers={"If-Match": etag}
    )

    assert response.status_code == 412
    assert response.json()["type"] == "urn:destek:problem:etag-mismatch"
    ticket.refresh_from_db()
    assert ticket.priority == "P0"


def test_more_requests_than_the_limit_get_429_with_retry_after(settings, agent_api, admin_api):
    settings.API_RATE_LIMIT_PER_MINUTE = 3

    answers = [agent_api.get("me").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    limited = agent_api.get("me")
    assert 1 <= int(limited["Retry-After"]) <= 61
    assert limited.json()["type"] == "urn:destek:problem:rate-limited"
    assert admin_api.get("me").status_code == 200  # per token


def test_unknown_paths_and_methods_are_problems(agent_api):
    missing = agent_api.get("nothing/here")
    wrong = agent_api.delete("tickets")

    assert (missing.status_code, missing["Content-Type"]) == (404, "application/problem+json")
    assert (wrong.status_code, wrong["Content-Type"]) == (405, "application/problem+json")
    assert sorted(wrong["Allow"].split(", ")) == ["GET", "POST"]


def test_the_docs_load_swagger_from_the_installed_package(client):
    page = client.get("/api/v1/docs")
    schema = client.get("/api/v1/openapi.json")

    assert page.status_code == 200
    html = page.content.decode()
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert schema.json()["info"]["title"] == "Destek API"


def test_a_nul_character_is_bad_input_not_a_server_error(agent_api, admin_api):
    ticket = agent_api.post("tickets", json={**NEW_TICKET, "subject": "a\x00b"})
    search = agent_api.get("tickets?customer=a%00b")
    article = admin_api.post("kb/articles", json={"title": "x" * 200, "body": "uzun başlık"})

    assert ticket.status_code == 422
    assert ticket.json()["errors"] == [
        {"field": "body.subject", "message": "Value error, must not contain the NUL character"}
    ]
    assert search.status_code == 422
    assert (article.status_code, len(article.json()["slug"])) == (201, 90)
