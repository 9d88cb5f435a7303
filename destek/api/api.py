"""The REST API v1: one NinjaAPI, its routers, the problem-details error handlers, and the
marks that put its views under the permission layer's route test."""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger

from destek.api.endpoints import customers, desk, kb, messages, reports, tickets, webhooks
from destek.api.problems import Problem, field_errors, problem_response
from destek.tickets.actions import ActionError

logger = logging.getLogger(__name__)

DESCRIPTION = """Destek's REST API. Authenticate with a personal API token from
*Ayarlar → API anahtarları*: `Authorization: Bearer dst_…`. A token acts as its member in one
workspace with exactly that member's role; errors are RFC 9457 problem details."""


class DestekAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        return _problem_content_types(schema)


def _problem_content_types(schema: dict) -> dict:
    """Errors are served as ``application/problem+json``; say so in the schema."""
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for code, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if int(code) >= 400 and "application/json" in content:
                    answer["content"] = {"application/problem+json": content["application/json"]}
    return schema


api = DestekAPI(
    title="Destek API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs=Swagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
for module in (tickets, messages, customers, desk, kb, reports, webhooks):
    api.add_router("/", module.router)


@api.exception_handler(Problem)
def _problem(request: HttpRequest, exc: Problem) -> HttpResponse:
    return problem_response(request, exc)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = field_errors(exc.errors)
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem_response(request, Problem(422, "validation", detail, errors=errors))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    problem = Problem(
        401,
        "unauthenticated",
        "Send a valid API token: Authorization: Bearer dst_…",
        headers={"WWW-Authenticate": 'Bearer realm="destek"'},
    )
    return problem_response(request, problem)


@api.exception_handler(ActionError)
def _refused(request: HttpRequest, exc: ActionError) -> HttpResponse:
    return problem_response(request, Problem(409, "refused", str(exc)))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(request, Problem(404, "not-found", "No such object here."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(request, Problem(exc.status_code, "http-error", str(exc)))


@api.exception_handler(MultiPartParserError)
def _unreadable(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return problem_response(request, Problem(400, "unreadable-body", "The form data is malformed."))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error at %s", request.path)
    # The detail never carries the exception text: it could hold a customer's data.
    return problem_response(request, Problem(500, "server-error", "Something failed on our side."))
