"""What every API operation shares: the auth that goes through the permission layer, the
declared error answers, ETags, idempotency keys and cursors."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse, RawPostDataException
from ninja import Router, Schema
from ninja.responses import NinjaJSONEncoder

from destek.accounts.permissions import Capability
from destek.api.auth import TokenAuth
from destek.api.models import IdempotencyRecord
from destek.api.problems import Problem
from destek.api.schemas import ProblemOut

ERROR_CODES = (400, 401, 403, 404, 409, 412, 422, 429)
READ, WRITE, ADMIN = "read", "write", "admin"


def operation(
    router: Router,
    method: str,
    path: str,
    capability: Capability,
    *,
    response: dict[int, Any],
    scope: str | None = None,
    **kwargs: Any,
) -> Callable:
    """Register an operation that needs ``capability`` (checked on the token's membership by
    ``has_capability``) and ``scope`` (read for GET, write otherwise unless given). Both are
    written into the OpenAPI schema as ``x-destek-capability`` / ``x-destek-scope``, where the
    API walk test reads them."""
    scope = scope or (READ if method == "GET" else WRITE)
    return router.api_operation(
        [method],
        path,
        auth=TokenAuth(capability, scope),
        response={**dict.fromkeys(ERROR_CODES, ProblemOut), **response},
        openapi_extra={"x-destek-capability": capability.value, "x-destek-scope": scope},
        **kwargs,
    )


# --- ETag / If-Match ------------------------------------------------------------------------------


def etag_of(data: Schema) -> str:
    """A strong ETag over the representation: any change a client could see changes it."""
    dumped = json.dumps(data.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return '"' + hashlib.sha256(dumped.encode()).hexdigest()[:32] + '"'


def check_if_match(request: HttpRequest, current: str) -> None:
    """412 when the client's ``If-Match`` names another version than the current one: someone
    changed the object since the client read it (a lost update prevented)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return
    wanted = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if current not in wanted:
        raise Problem(412, "etag-mismatch", "The object changed since you read it; read it again.")


# --- Idempotency keys -----------------------------------------------------------------------------


def _fingerprint(request: HttpRequest) -> str:
    try:
        payload = request.body
    except RawPostDataException:  # multipart already read: fields and file names stand in
        payload = json.dumps(
            [
                sorted(request.POST.lists()),
                sorted((k, f.name, f.size) for k, f in request.FILES.items()),
            ]
        ).encode()
    return hashlib.sha256(request.method.encode() + request.path.encode() + payload).hexdigest()


def _replay(record: IdempotencyRecord, fingerprint: str) -> HttpResponse:
    if record.fingerprint != fingerprint:
        raise Problem(
            422,
            "idempotency-key-reused",
            "This Idempotency-Key was used with a different request.",
        )
    response = JsonResponse(record.body, status=record.status_code, safe=False)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(view: Callable) -> Callable:
    """A create operation honouring ``Idempotency-Key``: the first answer is stored with the
    object in one transaction, a repeat (same token and key) gets that answer again."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return view(request, *args, **kwargs)
        if len(key) > 255 or "\x00" in key:
            raise Problem(
                422, "invalid-idempotency-key", "Idempotency-Key: 255 characters at most."
            )
        fingerprint = _fingerprint(request)
        existing = IdempotencyRecord.objects.filter(token=request.auth, key=key).first()
        if existing is not None:
            return _replay(existing, fingerprint)
        try:
            with transaction.atomic():
                result = view(request, *args, **kwargs)
                IdempotencyRecord.objects.create(
                    token=request.auth,
                    key=key,
                    fingerprint=fingerprint,
                    status_code=result.status_code,
                    # Encoded as the live answer is, so a replay is byte-for-byte the same.
                    body=json.loads(json.dumps(result.value.model_dump(), cls=NinjaJSONEncoder)),
                )
        except IntegrityError:
            # The same key raced in from another request and won: answer as it did.
            existing = IdempotencyRecord.objects.filter(token=request.auth, key=key).first()
            if existing is None:
                raise
            return _replay(existing, fingerprint)
        return result

    return wrapper


# --- Cursor pagination ----------------------------------------------------------------------------


def encode_cursor(value: int) -> str:
    return base64.urlsafe_b64encode(str(value).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        return int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (ValueError, UnicodeDecodeError) as exc:
        raise Problem(
            422,
            "invalid-cursor",
            "The cursor is not one this API gave out.",
            errors=[{"field": "query.cursor", "message": "invalid cursor"}],
        ) from exc
