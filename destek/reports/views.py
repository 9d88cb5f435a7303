"""Dashboard, report pages and their CSV files. The owner reads these, so only numbers, agent
and category names leave here — never a subject, a customer or a message (DESIGN §3)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from destek.accounts.permissions import Capability, has_capability, workspace_view
from destek.reports import dashboard as desk
from destek.reports import digest, metrics
from destek.reports.forms import ReportForm
from destek.reports.pages import REPORTS, Page, Scope
from destek.reports.tables import Table

T = TypeVar("T")


def _scope(request: HttpRequest) -> tuple[Scope, ReportForm]:
    """The period and filters asked for; people without VIEW_ALL_STATS get their own numbers."""
    workspace = request.workspace
    everyone = has_capability(request.membership, Capability.VIEW_ALL_STATS)
    form = ReportForm(request.GET or None, workspace=workspace, all_agents=everyone)
    now = timezone.now()
    today = timezone.localdate(now, ZoneInfo(workspace.time_zone))
    scope = Scope(
        workspace,
        form.chosen_period(today),
        form.chosen_filters(None if everyone else request.user.pk),
        now,
    )
    return scope, form


# Pages that show the period against the one before from the daily tallies.
DAILY = {"volume", "times", "sla"}


def _built(build: Callable[[Scope], T], scope: Scope, daily: bool = True) -> T:
    """One page's numbers, with the reads its metrics share (see ``metrics.memo``); ``daily``:
    the tallies of the period and the one before are read at once, in one query."""
    with metrics.memo():
        previous = scope.period.previous()
        if daily and not scope.filters.mailbox:
            metrics.prefetch(scope.workspace, previous.first, scope.period.last, scope.filters)
        return build(scope)


def _pick(tables: list[Table], request: HttpRequest) -> Table | None:
    """The table named by ``?table=``, the first one when none is named."""
    slug = request.GET.get("table")
    if not slug:
        return tables[0] if tables else None
    return next((t for t in tables if t.slug == slug), None)


def _csv(name: str, table: Table | None, scope: Scope) -> HttpResponse:
    if table is None:
        raise Http404
    response = HttpResponse(table.csv(), content_type="text/csv; charset=utf-8")
    filename = f"{name}-{table.slug}-{scope.period.first}-{scope.period.last}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@workspace_view(Capability.VIEW_STATS)
def dashboard(request: HttpRequest) -> HttpResponse:
    scope, form = _scope(request)
    context = {
        "form": form,
        "scope": scope,
        "desk": _built(desk.build, scope),
        "reports": REPORTS,
        "digest_on": digest.wants_digest(request.workspace, request.user),
        "digest_offered": has_capability(request.membership, Capability.VIEW_ALL_STATS),
    }
    return render(request, "reports/dashboard.html", context)


@workspace_view(Capability.VIEW_STATS)
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    scope, _form = _scope(request)
    return _csv("pano", _pick(_built(desk.build, scope).tables(), request), scope)


@workspace_view(Capability.VIEW_STATS)
def report(request: HttpRequest, name: str) -> HttpResponse:
    scope, form = _scope(request)
    page: Page = _built(REPORTS[name].build, scope, name in DAILY)
    context = {
        "form": form,
        "scope": scope,
        "page": page,
        "name": name,
        "title": REPORTS[name].title,
        "reports": REPORTS,
    }
    return render(request, "reports/report.html", context)


@workspace_view(Capability.VIEW_STATS)
def report_csv(request: HttpRequest, name: str) -> HttpResponse:
    scope, _form = _scope(request)
    page = _built(REPORTS[name].build, scope, name in DAILY)
    return _csv(name, _pick(page.tables, request), scope)


@workspace_view(Capability.VIEW_ALL_STATS)
@require_POST
def digest_choice(request: HttpRequest) -> HttpResponse:
    digest.set_wanted(request.workspace, request.user, request.POST.get("wanted") == "1")
    return redirect("dashboard", request.workspace.slug)
