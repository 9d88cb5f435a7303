"""``/api/v1/``: the API's own views are marked for the permission layer's route walk —
the schema and docs are public, every operation checks its token and capability itself
(``destek.api.auth.TokenAuth`` → ``has_capability``), which the API walk test proves."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from destek.api.api import api

PUBLIC_NAMES = {"openapi-json", "openapi-view", "api-root"}


def _marked(patterns: list) -> list:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _marked(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            entry.callback.destek_access = "public" if entry.name in PUBLIC_NAMES else "api"
    return patterns


app_name = api.urls_namespace
urlpatterns = _marked(list(api.urls[0]))
