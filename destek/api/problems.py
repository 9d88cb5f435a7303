"""RFC 9457 problem details: every API error is one JSON shape, ``application/problem+json``.

``{"type", "title", "status", "detail", "instance", "errors": [{"field", "message"}]}`` —
``errors`` only for invalid input, naming each field (``body.subject``, ``query.limit``).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "urn:destek:problem:"

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Content too large",
    422: "Invalid input",
    429: "Too many requests",
    500: "Server error",
}


class Problem(Exception):
    """Raised anywhere below an API view; the exception handler turns it into the response."""

    def __init__(
        self,
        status: int,
        slug: str,
        detail: str = "",
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or slug)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def problem_response(request: HttpRequest, problem: Problem) -> HttpResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + problem.slug,
        "title": TITLES.get(problem.status, "Error"),
        "status": problem.status,
        "detail": problem.detail,
        "instance": request.path,
    }
    if problem.errors is not None:
        body["errors"] = problem.errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=problem.status, content_type=CONTENT_TYPE
    )
    for name, value in problem.headers.items():
        response[name] = value
    return response


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Pydantic's errors as ``{"field": "body.subject", "message": "..."}``; the request
    parameter's own name (ninja's wrapper level) is left out."""
    out = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if len(loc) >= 2 and loc[0] in {"body", "query", "path", "header", "form", "file"}:
            loc = [loc[0], *loc[2:]] if len(loc) > 2 else loc
        out.append({"field": ".".join(loc), "message": str(error.get("msg", ""))})
    return out
