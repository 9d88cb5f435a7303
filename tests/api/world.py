"""Objects of the API app for the route walks: a token, a webhook endpoint with a delivery, an
organization and a team, all in the walked workspace."""

from __future__ import annotations

from destek.accounts.models import Membership
from destek.api.models import ApiToken, WebhookDelivery
from destek.api.webhooks.manage import create_endpoint
from destek.tickets.models import Organization, Team


def api_world(workspace, agent) -> dict:
    membership = Membership.objects.get(workspace=workspace, user=agent)
    token, _raw = ApiToken.issue(membership=membership, name="walk", scopes=["read"])
    endpoint, _secret = create_endpoint(
        workspace=workspace,
        url="https://hooks.anadolu.test/destek",
        events=["ticket.created"],
        is_active=False,
        is_internal=False,
    )
    delivery = WebhookDelivery.objects.create(
        workspace=workspace, endpoint=endpoint, event="ticket.created", body="{}"
    )
    organization = Organization.objects.create(workspace=workspace, name="Walk A.Ş.")
    team = Team.objects.create(workspace=workspace, name="API ekibi")
    team.members.add(membership)
    return {
        "token_id": token.pk,
        "endpoint_id": endpoint.pk,
        "delivery_id": delivery.pk,
        "organization_id": organization.pk,
        "team_id": team.pk,
        "metric": "volume",  # /api/v1/reports/<metric>
    }
