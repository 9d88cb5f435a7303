"""The portal's use of the SSS app, which an installation may leave out: every call here works
(and does nothing) without it."""

from __future__ import annotations

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from destek.accounts.models import Workspace


def enabled() -> bool:
    return apps.is_installed("destek.kb")


def suggestions_url(workspace: Workspace) -> str:
    """The htmx endpoint that lists articles for a subject, or "" without the SSS app."""
    if not enabled():
        return ""
    try:
        return reverse("kb_suggestions", kwargs={"workspace_slug": workspace.slug})
    except NoReverseMatch:
        return ""


def new_form_session_id() -> str:
    if not enabled():
        return ""
    from destek.kb.deflection import new_form_session_id as make

    return make()
