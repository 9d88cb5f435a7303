"""Deflection (DESIGN §7): a customer who opened a suggested article while filling in the
portal's new-ticket form and then left without submitting it was answered by the article.

The form carries a random id (:func:`new_form_session_id`); the portal passes it along with the
suggestion links and calls :func:`record_form_submitted` when the form is sent. Nothing typed and
nothing about the customer is stored.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from destek.accounts.models import Workspace
from destek.kb.models import Article, FormSession, SuggestionOpen

# A form left this long after its last suggestion was opened counts as abandoned: the customer
# did not come back to submit it.
SESSION_WINDOW = timedelta(hours=1)
_KEY_LENGTH = 64


def new_form_session_id() -> str:
    return secrets.token_urlsafe(24)


def valid_form_session_id(value: str | None) -> bool:
    return (
        bool(value)
        and len(value) <= _KEY_LENGTH
        and value.replace("-", "").replace("_", "").isalnum()
    )


def _form_session(workspace: Workspace, key: str, now: datetime) -> FormSession:
    try:
        with transaction.atomic():
            return FormSession.objects.get_or_create(
                workspace=workspace, key=key, defaults={"started_at": now}
            )[0]
    except IntegrityError:  # two requests of the same form at once: the other one created it
        return FormSession.objects.get(workspace=workspace, key=key)


def record_suggestion_opened(
    *, workspace: Workspace, form_session_id: str, article: Article, now: datetime | None = None
) -> bool:
    """Note that a suggested ``article`` was opened from this form; False for a bad id or an
    article already opened from it."""
    if not valid_form_session_id(form_session_id) or article.workspace_id != workspace.pk:
        return False
    now = now or timezone.now()
    form = _form_session(workspace, form_session_id, now)
    try:
        with transaction.atomic():
            SuggestionOpen.objects.create(form_session=form, article=article, opened_at=now)
    except IntegrityError:
        return False
    return True


def record_form_submitted(
    *, workspace: Workspace, form_session_id: str, now: datetime | None = None
) -> None:
    """Note that the form was sent: its openings no longer count as deflections."""
    if not valid_form_session_id(form_session_id):
        return
    now = now or timezone.now()
    form = _form_session(workspace, form_session_id, now)
    if form.submitted_at is None:
        FormSession.objects.filter(pk=form.pk).update(submitted_at=now)


@dataclass(frozen=True)
class DeflectionSummary:
    forms_with_suggestions: int  # form sessions in which at least one suggestion was opened
    deflected: int  # of those, left without submitting for longer than the window
    submitted: int  # of those, submitted anyway

    @property
    def rate(self) -> int | None:
        """Per cent of forms with an opened suggestion that ended without a ticket."""
        decided = self.deflected + self.submitted
        return round(100 * self.deflected / decided) if decided else None


def _sessions(workspace: Workspace, since: datetime, until: datetime):
    opened = SuggestionOpen.objects.filter(form_session=OuterRef("pk"))
    return FormSession.objects.filter(
        workspace=workspace, started_at__gte=since, started_at__lt=until
    ).filter(Exists(opened))


def summary(
    workspace: Workspace, *, since: datetime, until: datetime, now: datetime | None = None
) -> DeflectionSummary:
    now = now or timezone.now()
    counts = _sessions(workspace, since, until).aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        deflected=Count(
            "pk", filter=Q(submitted_at__isnull=True, started_at__lt=now - SESSION_WINDOW)
        ),
    )
    return DeflectionSummary(
        forms_with_suggestions=counts["total"],
        deflected=counts["deflected"],
        submitted=counts["submitted"],
    )


def deflections_by_article(
    workspace: Workspace, *, since: datetime, until: datetime, now: datetime | None = None
) -> dict[int, tuple[int, int]]:
    """Article id → (times opened as a suggestion, of which the form was then abandoned)."""
    now = now or timezone.now()
    rows = (
        SuggestionOpen.objects.filter(
            form_session__workspace=workspace,
            form_session__started_at__gte=since,
            form_session__started_at__lt=until,
        )
        .values("article_id")
        .annotate(
            opened=Count("pk"),
            deflected=Count(
                "pk",
                filter=Q(
                    form_session__submitted_at__isnull=True,
                    form_session__started_at__lt=now - SESSION_WINDOW,
                ),
            ),
        )
    )
    return {row["article_id"]: (row["opened"], row["deflected"]) for row in rows}
