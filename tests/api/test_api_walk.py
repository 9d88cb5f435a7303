"""Walk every operation of the live OpenAPI schema with the API tokens of the owner, an admin,
an agent and an agent of another workspace, and hold the answers to the DESIGN §3 matrix:
the capability each operation declares (``x-destek-capability``, checked by the permission
layer's ``has_capability``) decides 403, another tenant's objects are 404, and no secret of the
walked workspace reaches the owner or the stranger."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from destek.accounts.permissions import Capability
from destek.tickets.models import Message, Ticket, TicketEvent
from tests import test_route_walk
from tests.api.conftest import ApiClient, token_for
from tests.test_route_walk import DESIGN_MATRIX, IF_ALLOWED, ROLES, SECRETS


def _schema() -> dict:
    # The same document /api/v1/openapi.json serves (read here at collection, before a client
    # could make a request).
    from destek.api.api import api

    return api.get_openapi_schema()


OPERATIONS = [
    (method.upper(), path, operation)
    for path, methods in _schema()["paths"].items()
    for method, operation in methods.items()
]
WHO = [*ROLES, "other"]

# The route walk's world (a ticket full of secrets, a mailbox, a webhook endpoint, …).
world = test_route_walk.world


def _fill(path: str, world: dict) -> str:
    values = {**world, "metric": "volume"}
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def _snapshot():
    return (
        list(Ticket.objects.values_list("status", "assignee_id", "priority", "category_id")),
        Message.objects.count(),
        TicketEvent.objects.count(),
    )


# A valid body for each writing operation, so the answer tells about access, not input.
BODIES = {
    ("POST", "/api/v1/tickets"): {
        "customer_email": "walk@musteri.test",
        "subject": "Yürüyüş",
        "text": "Merhaba",
    },
    ("POST", "/api/v1/tickets/{number}/replies"): {"text": "Yanıt"},
    ("POST", "/api/v1/tickets/{number}/notes"): {"text": "Not"},
    ("POST", "/api/v1/tickets/{number}/merge"): {"into": 1},
    ("POST", "/api/v1/customers"): {"email": "yeni@musteri.test"},
    ("POST", "/api/v1/organizations"): {"name": "Yeni Kurum"},
    ("PUT", "/api/v1/organizations/{organization_id}"): {"name": "Yeni Ad"},
    ("POST", "/api/v1/categories"): {"name": "Yeni kategori"},
    ("PUT", "/api/v1/categories/{category_id}"): {"name": "Yeni ad"},
    ("PUT", "/api/v1/agents/me/availability"): {"is_available": False},
    ("POST", "/api/v1/kb/articles"): {"title": "Kargo", "body": "Kargo 3 günde gelir."},
    ("PUT", "/api/v1/kb/articles/{article_id}"): {"title": "Kargo", "body": "2 günde."},
    ("POST", "/api/v1/webhooks"): {"url": "https://h.test/x", "events": ["ticket.created"]},
}


def _call(api: ApiClient, method: str, path: str, url: str):
    if method == "GET":
        return api.get(url)
    if path.endswith("/attachments"):
        upload = SimpleUploadedFile("walk.txt", b"walk", "text/plain")
        return api.client.post(url, {"text": "Dosya", "files": [upload]}, headers=api.headers)
    return getattr(api, method.lower())(url, json=BODIES.get((method, path), {}))


def test_every_operation_declares_a_capability_and_a_scope():
    for method, path, operation in OPERATIONS:
        if operation["x-destek-capability"] == "public":
            assert path.startswith("/api/v1/public/") and method == "GET", path
            continue
        assert Capability(operation["x-destek-capability"]) in DESIGN_MATRIX, (method, path)
        assert operation["x-destek-scope"] in {"read", "write", "admin"}, (method, path)
        assert operation["security"], (method, path)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(
    ("method", "path", "operation"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
def test_walk_every_operation_as_every_role(
    method, path, operation, who, world, owner, admin, agent, other_agent, other_workspace
):
    users = {"owner": owner, "admin": admin, "agent": agent, "other": other_agent}
    workspace = other_workspace if who == "other" else world["ticket"].workspace
    api = ApiClient(token_for(users[who], workspace))
    if operation["x-destek-capability"] == "public":
        response = _call(api, method, path, _fill(path, world) + "?q=odeme")
        assert response.status_code == 200, (who, path)
        _assert_no_secrets(response, who, path)
        return
    capability = Capability(operation["x-destek-capability"])
    role = "agent" if who == "other" else who
    allowed = DESIGN_MATRIX[capability][ROLES.index(role)]
    if allowed == IF_ALLOWED:  # agents edit the KB where the workspace allows it
        allowed = workspace.agents_edit_kb
    url = _fill(path, world)
    before = _snapshot()

    response = _call(api, method, path, url)

    if not allowed:
        assert response.status_code == 403, (who, method, url, response.content[:300])
        assert _snapshot() == before, (who, method, url)
    elif who == "other" and set(re.findall(r"\{(\w+)\}", path)) - {"metric"}:
        assert response.status_code == 404, (who, method, url, response.content[:300])
        assert _snapshot() == before, (who, method, url)
    elif method == "GET":
        assert response.status_code == 200, (who, method, url, response.content[:300])
    else:
        assert response.status_code not in {401, 403, 404, 500}, (who, method, url)
    if who in {"owner", "other"}:
        _assert_no_secrets(response, who, url)


def _assert_no_secrets(response, who: str, url: str) -> None:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for secret in SECRETS:
        assert secret not in body.decode("utf-8", "replace"), (who, secret, url)


def test_without_a_token_every_operation_is_401_problem():
    for method, path, operation in OPERATIONS:
        if operation["x-destek-capability"] == "public":
            continue
        url = re.sub(r"\{(\w+)\}", "volume" if "reports" in path else "1", path)
        response = _call(ApiClient(None), method, path, url)
        assert response.status_code == 401, (method, url)
        assert response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"] == 'Bearer realm="destek"'
