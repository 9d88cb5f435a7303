"""Registering and changing webhook endpoints: shared by the admin pages and the API."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from destek.accounts.models import Workspace
from destek.api.models import WebhookEndpoint, WebhookEvent


def clean_url(url: str) -> str:
    """http(s) URLs only; whether the address is public is checked at every send."""
    url = url.strip()
    URLValidator(schemes=["http", "https"])(url)
    return url


def clean_events(events: list[str]) -> list[str]:
    unknown = sorted(set(events) - set(WebhookEvent.values))
    if unknown:
        raise ValidationError(_("Bilinmeyen olay: %(events)s") % {"events": ", ".join(unknown)})
    return sorted(set(events))


def create_endpoint(
    *, workspace: Workspace, url: str, events: list[str], is_active: bool, is_internal: bool
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (shown to the admin)."""
    endpoint = WebhookEndpoint(
        workspace=workspace,
        url=clean_url(url),
        events=clean_events(events),
        is_active=is_active,
        is_internal=is_internal,
    )
    secret = endpoint.set_new_secret()
    endpoint.save()
    return endpoint, secret


def update_endpoint(endpoint: WebhookEndpoint, **changes: object) -> WebhookEndpoint:
    if "url" in changes:
        endpoint.url = clean_url(str(changes["url"]))
    if "events" in changes:
        endpoint.events = clean_events(list(changes["events"]))  # type: ignore[arg-type]
    if "is_internal" in changes:
        endpoint.is_internal = bool(changes["is_internal"])
    if "is_active" in changes:
        endpoint.is_active = bool(changes["is_active"])
        if endpoint.is_active:  # switched back on: a fresh start
            endpoint.failure_count = 0
            endpoint.disabled_reason = ""
    endpoint.save()
    return endpoint
