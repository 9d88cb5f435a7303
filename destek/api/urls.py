"""``/api/v1/``: the API's own views are marked for the permission layer's route walk —
the schema and docs are public, every operation checks its token and capability itself
(``destek.api.auth.TokenAuth`` → ``has_capability``), which the API walk test proves."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, re_path

from destek.api.api import api
from destek.api.problems import CONTENT_TYPE, Problem, problem_response

PUBLIC_NAMES = {"openapi-json", "openapi-view", "api-root", "public_kb_search"}


def _problem_on_405(view: Callable) -> Callable:
    """django-ninja answers a wrong method with an HTML 405; the API speaks problem details."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type") != CONTENT_TYPE:
            problem = Problem(
                405,
                "method-not-allowed",
                "Not with this method.",
                headers={"Allow": response["Allow"]},
            )
            return problem_response(request, problem)
        return response

    return wrapper


def _marked(patterns: list) -> list:
    marked = []
    for entry in patterns:
        if entry.name in PUBLIC_NAMES:
            entry.callback.destek_access = "public"
        else:
            entry.callback = _problem_on_405(entry.callback)
            entry.callback.destek_access = "api"
        marked.append(entry)
    return marked


def not_found(request: HttpRequest) -> HttpResponse:
    return problem_response(request, Problem(404, "not-found", "No such API path."))


not_found.destek_access = "public"

app_name = api.urls_namespace
urlpatterns: list[URLPattern] = [
    *_marked(list(api.urls[0])),
    # Anything else under /api/v1/ is a problem-details 404, not the web app's HTML page.
    re_path(r"^.*$", not_found, name="not-found"),
]
