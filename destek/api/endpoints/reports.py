"""Reports: every DESIGN §8 metric over a period and filters — numbers, agent and category
names only, so the owner's token reaches these (and nothing with content)."""

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from destek.accounts.permissions import Capability, has_capability
from destek.api.core import operation
from destek.api.problems import Problem
from destek.api.schemas import CleanSchema, PriorityName
from destek.reports import metrics
from destek.reports.period import PRESETS, Period, period_for

router = Router(tags=["reports"])

PeriodName = Literal[tuple(PRESETS)]  # type: ignore[valid-type]


class ReportQuery(CleanSchema):
    period: PeriodName = Field("30d", description="a preset, or custom with first and last")
    first: date | None = None
    last: date | None = None
    agent: int | None = Field(None, description="a user id; agents always get their own")
    team: int | None = None
    category: int | None = None
    priority: PriorityName | None = None


def _plain(value: Any) -> Any:
    """Metric dataclasses as JSON-ready dicts, with a Rate's percentage spelled out."""
    if isinstance(value, metrics.Rate):
        return {"part": value.part, "whole": value.whole, "percent": value.percent}
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


Metric = Callable[[Any, Period, datetime, metrics.Filters], Any]
METRICS: dict[str, Metric] = {
    "volume": lambda ws, p, now, f: {
        "tickets": metrics.volume(ws, p, f),
        "previous_period": metrics.volume(ws, p.previous(), f),
        "series": metrics.volume_series(ws, p, f),
    },
    "first_response": lambda ws, p, now, f: metrics.first_response(ws, p, f),
    "resolution": lambda ws, p, now, f: metrics.resolution(ws, p, f),
    "reopen_rate": lambda ws, p, now, f: metrics.reopen_rate(ws, p, f),
    "sla_compliance": lambda ws, p, now, f: metrics.sla_compliance(ws, p, now, f),
    "satisfaction": lambda ws, p, now, f: metrics.satisfaction(ws, p, f),
    "today": lambda ws, p, now, f: metrics.today(ws, now, f),
    "backlog": lambda ws, p, now, f: metrics.backlog(ws, f),
    "categories": lambda ws, p, now, f: metrics.top_categories(ws, p, f),
    "agents": lambda ws, p, now, f: metrics.agents(ws, p, f),
}
MetricName = Literal[tuple(METRICS)]  # type: ignore[valid-type]


class ReportOut(Schema):
    period: dict[str, str]
    filters: dict[str, Any]
    metrics: dict[str, Any]


def _report(request: HttpRequest, query: ReportQuery, names: list[str]) -> dict:
    workspace = request.workspace
    everyone = has_capability(request.membership, Capability.VIEW_ALL_STATS)
    if query.agent is not None and not everyone and query.agent != request.user.pk:
        raise Problem(403, "forbidden", "Agents see their own numbers only.")
    zone = ZoneInfo(workspace.time_zone)
    now = timezone.now()
    period = period_for(query.period, timezone.localdate(now, zone), zone, query.first, query.last)
    filters = metrics.Filters(
        agent=query.agent if everyone else request.user.pk,
        team=query.team,
        category=query.category,
        priority=query.priority,
    )
    return {
        "period": {
            "key": period.key,
            "first": period.first.isoformat(),
            "last": period.last.isoformat(),
        },
        "filters": {k: v for k, v in dataclasses.asdict(filters).items() if v is not None},
        "metrics": {name: _plain(METRICS[name](workspace, period, now, filters)) for name in names},
    }


@operation(router, "GET", "/reports", Capability.VIEW_STATS, response={200: ReportOut})
def all_reports(request: HttpRequest, query: Query[ReportQuery]):
    """Every metric at once (the dashboard's numbers)."""
    return _report(request, query, list(METRICS))


@operation(router, "GET", "/reports/{metric}", Capability.VIEW_STATS, response={200: ReportOut})
def one_report(request: HttpRequest, metric: MetricName, query: Query[ReportQuery]):
    """One metric of DESIGN §8."""
    return _report(request, query, [metric])
