"""API tokens for the shared cast, and a client that sends them."""

from __future__ import annotations

import pytest
from django.test import Client

from destek.accounts.models import Membership
from destek.api.models import ApiToken

ALL_SCOPES = ["admin", "read", "write"]


def token_for(user, workspace, scopes=ALL_SCOPES) -> str:
    membership = Membership.objects.get(user=user, workspace=workspace)
    return ApiToken.issue(membership=membership, name="test", scopes=list(scopes))[1]


class ApiClient:
    """Django's test client with ``Authorization: Bearer <token>`` on every request."""

    def __init__(self, raw: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {raw}"} if raw else {}

    def _call(self, method: str, path: str, json=None, headers=None, **kwargs):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        extra = {**self.headers, **(headers or {})}
        if json is not None:
            kwargs.update(data=json, content_type="application/json")
        return getattr(self.client, method)(url, headers=extra, **kwargs)

    def get(self, path, **kwargs):
        return self._call("get", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self._call("post", path, json=json, **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self._call("patch", path, json=json, **kwargs)

    def put(self, path, json=None, **kwargs):
        return self._call("put", path, json=json, **kwargs)

    def delete(self, path, **kwargs):
        return self._call("delete", path, **kwargs)


@pytest.fixture
def owner_api(owner, workspace) -> ApiClient:
    return ApiClient(token_for(owner, workspace))


@pytest.fixture
def admin_api(admin, workspace) -> ApiClient:
    return ApiClient(token_for(admin, workspace))


@pytest.fixture
def agent_api(agent, workspace) -> ApiClient:
    return ApiClient(token_for(agent, workspace))


@pytest.fixture
def other_api(other_agent, other_workspace) -> ApiClient:
    return ApiClient(token_for(other_agent, other_workspace))
