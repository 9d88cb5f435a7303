"""Webhook endpoints and their delivery log (admins, ``admin`` scope)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from destek.accounts.permissions import Capability
from destek.api.core import ADMIN, idempotent, operation
from destek.api.models import WebhookEndpoint
from destek.api.problems import Problem
from destek.api.schemas import DeliveryOut, WebhookCreated, WebhookIn, WebhookOut, WebhookPatch
from destek.api.webhooks import deliver, manage

router = Router(tags=["webhooks"])
MANAGE = Capability.MANAGE_DESK


def endpoint_for(request: HttpRequest, endpoint_id: int) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint, workspace=request.workspace, pk=endpoint_id)


def _invalid(exc: ValidationError) -> Problem:
    messages = [str(message) for message in exc.messages]
    return Problem(
        422,
        "invalid-webhook",
        " ".join(messages),
        errors=[{"field": "body", "message": message} for message in messages],
    )


@operation(router, "GET", "/webhooks", MANAGE, scope=ADMIN, response={200: list[WebhookOut]})
def list_webhooks(request: HttpRequest):
    return WebhookEndpoint.objects.filter(workspace=request.workspace)


@operation(router, "POST", "/webhooks", MANAGE, scope=ADMIN, response={201: WebhookCreated})
@idempotent
def create_webhook(request: HttpRequest, payload: WebhookIn):
    """Register an endpoint; the answer carries the signing secret."""
    try:
        endpoint, secret = manage.create_endpoint(workspace=request.workspace, **payload.dict())
    except ValidationError as exc:
        raise _invalid(exc) from exc
    data = WebhookOut.from_orm(endpoint).model_dump()
    return Status(201, WebhookCreated(**data, secret=secret))


@operation(
    router, "GET", "/webhooks/{endpoint_id}", MANAGE, scope=ADMIN, response={200: WebhookOut}
)
def get_webhook(request: HttpRequest, endpoint_id: int):
    return endpoint_for(request, endpoint_id)


@operation(
    router,
    "PATCH",
    "/webhooks/{endpoint_id}",
    MANAGE,
    scope=ADMIN,
    response={200: WebhookOut},
)
def update_webhook(request: HttpRequest, endpoint_id: int, payload: WebhookPatch):
    endpoint = endpoint_for(request, endpoint_id)
    try:
        return manage.update_endpoint(endpoint, **payload.model_dump(exclude_unset=True))
    except ValidationError as exc:
        raise _invalid(exc) from exc


@operation(router, "DELETE", "/webhooks/{endpoint_id}", MANAGE, scope=ADMIN, response={204: None})
def delete_webhook(request: HttpRequest, endpoint_id: int):
    endpoint_for(request, endpoint_id).delete()
    return Status(204, None)


@operation(
    router,
    "GET",
    "/webhooks/{endpoint_id}/deliveries",
    MANAGE,
    scope=ADMIN,
    response={200: list[DeliveryOut]},
)
def list_deliveries(request: HttpRequest, endpoint_id: int):
    """The latest 100 deliveries, newest first."""
    return endpoint_for(request, endpoint_id).deliveries.order_by("-id")[:100]


@operation(
    router,
    "POST",
    "/webhooks/{endpoint_id}/deliveries/{delivery_id}/redeliver",
    MANAGE,
    scope=ADMIN,
    response={201: DeliveryOut},
)
def redeliver(request: HttpRequest, endpoint_id: int, delivery_id: int):
    """Send a delivery's body again, as a new delivery."""
    endpoint = endpoint_for(request, endpoint_id)
    delivery = get_object_or_404(endpoint.deliveries, pk=delivery_id)
    return Status(201, deliver.redeliver(delivery))
