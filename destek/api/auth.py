"""API authentication and authorization through THE permission layer.

A request carries ``Authorization: Bearer dst_…``. The token names one membership; the
operation names the :class:`Capability` it needs, and :func:`has_capability` on that
membership decides — so a token has exactly its member's role (the owner's reaches numbers
only). Objects are then looked up in the token's workspace only: another tenant's are 404.
The token's scopes narrow it further (read / write / admin), never widen it.
"""

from __future__ import annotations

import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from destek.accounts.permissions import Capability, has_capability
from destek.api.models import ApiToken
from destek.api.models.token import hash_token
from destek.api.problems import Problem

TOUCH_EVERY = timedelta(minutes=1)


def _find(raw: str) -> ApiToken | None:
    token = (
        ApiToken.objects.usable()
        .select_related("membership__workspace", "membership__user")
        .filter(token_hash=hash_token(raw))
        .first()
    )
    return token


def _rate_limit(token: ApiToken) -> None:
    """A fixed one-minute window per token, counted in the cache (Redis when configured, so
    every web process shares the count)."""
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    now = time.time()
    window = int(now // 60)
    key = f"api-rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=90)
        count = 1
    if count > limit:
        retry_after = max(1, int((window + 1) * 60 - now) + 1)
        raise Problem(
            429,
            "rate-limited",
            f"More than {limit} requests in a minute with this token.",
            headers={"Retry-After": str(retry_after)},
        )


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


class TokenAuth(HttpBearer):
    """The ``auth`` of one operation: who may call it (capability) and with which scope."""

    def __init__(self, capability: Capability, scope: str) -> None:
        super().__init__()
        self.capability = capability
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = _find(token)
        if found is None:
            return None  # 401
        _rate_limit(found)
        membership = found.membership
        if not has_capability(membership, self.capability):
            raise Problem(403, "forbidden", "Your role does not allow this.")
        if not found.has_scope(self.scope):
            raise Problem(403, "insufficient-scope", f"This token lacks the {self.scope} scope.")
        workspace = membership.workspace
        if self.scope != "read" and workspace.is_read_only():
            raise Problem(403, "read-only", "The workspace's trial has ended; it is read-only.")
        _touch(found)
        request.user = membership.user
        request.workspace = workspace
        request.membership = membership
        timezone.activate(ZoneInfo(workspace.time_zone))
        return found
