"""schemathesis against the live OpenAPI schema, served by a real test server on loopback:
generated requests (valid and invalid) to every operation with an admin's token never get a
500, and every answer matches the schema — declared status code, content type and body."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from destek.tickets import actions
from tests.api.conftest import token_for

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def live_api(live_server, transactional_db, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000
    return live_server


@pytest.fixture
def admin_token(live_api, workspace, admin, customer, agent):
    actions.create_ticket(workspace=workspace, customer=customer, subject="Kargo", text="Nerede?")
    return token_for(admin, workspace)


def _live_schema() -> dict:
    # The document /api/v1/openapi.json serves; test_openapi.py checks the two are the same.
    from destek.api.api import api

    return api.get_openapi_schema()


schema = schemathesis.openapi.from_dict(_live_schema())


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_live_api_keeps_its_schema(case, admin_token, live_api):
    case.call_and_validate(
        base_url=live_api.url,
        headers={"Authorization": f"Bearer {admin_token}"},
        checks=CHECKS,
    )
