"""The dashboard's numbers (DESIGN §8): today, the backlog now, the period against the one
before, top categories and the agents — counts and durations only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from destek.reports import charts, metrics
from destek.reports.metrics import Backlog, Compliance, Durations, Rate, Satisfaction, Today
from destek.reports.pages import Scope, _bucket_label, agents_table
from destek.reports.tables import CHANGE, DURATION, TEXT, Column, Table, change

TOP_CATEGORIES = 5


@dataclass
class Dashboard:
    today: Today
    backlog: Backlog
    oldest_age: timedelta | None
    volume: int
    volume_before: int
    first_response: Durations
    first_response_before: Durations
    resolution: Durations
    resolution_before: Durations
    reopen: Rate
    sla: Compliance
    satisfaction: Satisfaction
    summary: Table
    categories: Table
    agents: Table
    chart: SafeString

    @property
    def volume_change(self) -> float | None:
        return change(self.volume, self.volume_before)

    def tables(self) -> list[Table]:
        return [self.summary, self.categories, self.agents]


def build(scope: Scope) -> Dashboard:
    ws, period, filters, now = scope.workspace, scope.period, scope.filters, scope.now
    previous = period.previous()
    backlog = metrics.backlog(ws, filters)
    series = metrics.volume_series(ws, period, filters)
    volume = sum(b.value for b in series)
    volume_before = metrics.volume(ws, previous, filters)
    first = metrics.first_response(ws, period, filters)
    first_before = metrics.first_response(ws, previous, filters)
    resolved = metrics.resolution(ws, period, filters)
    resolved_before = metrics.resolution(ws, previous, filters)
    reopen = metrics.reopen_rate(ws, period, filters)
    sla = metrics.sla_compliance(ws, period, now, filters)
    return Dashboard(
        today=metrics.today(ws, now, filters),
        backlog=backlog,
        oldest_age=backlog.oldest_age(now),
        volume=volume,
        volume_before=volume_before,
        first_response=first,
        first_response_before=first_before,
        resolution=resolved,
        resolution_before=resolved_before,
        reopen=reopen,
        sla=sla,
        satisfaction=metrics.satisfaction(ws, period, filters),
        summary=_summary(first, first_before, resolved, resolved_before),
        categories=_categories(scope),
        agents=agents_table(scope),
        chart=charts.bar_chart(
            _("Gelen talepler"),
            [_bucket_label(b.first, b.last) for b in series],
            [b.value for b in series],
        ),
    )


def _summary(
    first: Durations, first_before: Durations, res: Durations, res_before: Durations
) -> Table:
    pairs = (
        (_("İlk yanıt ortalaması"), first.average, first_before.average),
        (_("İlk yanıt ortancası"), first.median, first_before.median),
        (
            _("İlk yanıt ortalaması (iş saatleri)"),
            first.business_average,
            first_before.business_average,
        ),
        (
            _("İlk yanıt ortancası (iş saatleri)"),
            first.business_median,
            first_before.business_median,
        ),
        (_("Çözüm ortalaması"), res.average, res_before.average),
        (_("Çözüm ortancası"), res.median, res_before.median),
        (_("Çözüm ortalaması (iş saatleri)"), res.business_average, res_before.business_average),
        (_("Çözüm ortancası (iş saatleri)"), res.business_median, res_before.business_median),
    )
    return Table(
        "summary",
        _("Süreler"),
        [
            Column(_("Ölçü"), TEXT),
            Column(_("Bu dönem"), DURATION),
            Column(_("Önceki dönem"), DURATION),
            Column(_("Değişim"), CHANGE),
        ],
        [[name, now, before, change(now, before)] for name, now, before in pairs],
    )


def _categories(scope: Scope) -> Table:
    rows = metrics.top_categories(scope.workspace, scope.period, scope.filters, TOP_CATEGORIES)
    return Table(
        "categories",
        _("En çok talep gelen kategoriler"),
        [Column(_("Kategori"), TEXT), Column(_("Talepler"))],
        [[r.name or _("Kategorisiz"), r.tickets] for r in rows],
    )
