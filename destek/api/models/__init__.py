from destek.api.models.token import ApiToken, IdempotencyRecord, Scope
from destek.api.models.webhook import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent

__all__ = [
    "ApiToken",
    "DeliveryStatus",
    "IdempotencyRecord",
    "Scope",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]
