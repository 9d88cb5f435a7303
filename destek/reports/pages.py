"""What each report page shows: its tables and charts, built from ``metrics`` only. The
dashboard, the report pages and their CSV files share these builders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from destek.accounts.models import Workspace
from destek.reports import charts, metrics
from destek.reports.metrics import Durations, Filters
from destek.reports.period import Period
from destek.reports.tables import (
    CHANGE,
    DATE,
    DURATION,
    PERCENT,
    TEXT,
    Column,
    Table,
    change,
)


@dataclass(frozen=True)
class Scope:
    """One request for numbers: whose, over which period, seen at which instant."""

    workspace: Workspace
    period: Period
    filters: Filters
    now: datetime


@dataclass
class Page:
    tables: list[Table] = field(default_factory=list)
    charts: list[SafeString] = field(default_factory=list)

    def table(self, slug: str) -> Table | None:
        return next((t for t in self.tables if t.slug == slug), None)


def _bucket_label(first, last) -> str:
    return first.strftime("%d.%m") if first == last else f"{first:%d.%m}–{last:%d.%m}"


def volume_page(scope: Scope) -> Page:
    series = metrics.volume_series(scope.workspace, scope.period, scope.filters)
    before = metrics.volume(scope.workspace, scope.period.previous(), scope.filters)
    total = sum(b.value for b in series)
    summary = Table(
        "summary",
        _("Gelen talepler"),
        [Column(_("Bu dönem")), Column(_("Önceki dönem")), Column(_("Değişim"), CHANGE)],
        [[total, before, change(total, before)]],
    )
    table = Table(
        "volume",
        _("Dönem dilimlerine göre gelen talepler"),
        [Column(_("Başlangıç"), DATE), Column(_("Bitiş"), DATE), Column(_("Talepler"))],
        [[b.first, b.last, b.value] for b in series],
    )
    chart = charts.bar_chart(
        _("Gelen talepler"),
        [_bucket_label(b.first, b.last) for b in series],
        [b.value for b in series],
    )
    return Page([summary, table], [chart])


def _duration_rows(name: str, now: Durations, before: Durations) -> list[list[object]]:
    return [
        [name, _("Takvim"), now.count, now.average, now.median, before.average, before.median],
        [
            name,
            _("İş saatleri"),
            now.count,
            now.business_average,
            now.business_median,
            before.business_average,
            before.business_median,
        ],
    ]


DISTRIBUTION_LABELS = ("< 1 sa", "1–4 sa", "4–8 sa", "8–24 sa", "1–3 g", "> 3 g")


def times_page(scope: Scope) -> Page:
    ws, period, filters = scope.workspace, scope.period, scope.filters
    previous = period.previous()
    rows = _duration_rows(
        _("İlk yanıt"),
        metrics.first_response(ws, period, filters),
        metrics.first_response(ws, previous, filters),
    ) + _duration_rows(
        _("Çözüm"),
        metrics.resolution(ws, period, filters),
        metrics.resolution(ws, previous, filters),
    )
    summary = Table(
        "times",
        _("Yanıt ve çözüm süreleri"),
        [
            Column(_("Ölçü"), TEXT),
            Column(_("Saat"), TEXT),
            Column(_("Talepler")),
            Column(_("Ortalama"), DURATION),
            Column(_("Ortanca"), DURATION),
            Column(_("Önceki ortalama"), DURATION),
            Column(_("Önceki ortanca"), DURATION),
        ],
        rows,
    )
    first = metrics.distribution(ws, period, "first_response", filters)
    resolved = metrics.distribution(ws, period, "resolution", filters)
    spread = Table(
        "distribution",
        _("Sürelerin dağılımı (iş saatleri)"),
        [Column(_("Süre"), TEXT), Column(_("İlk yanıt")), Column(_("Çözüm"))],
        [[label, f, r] for label, f, r in zip(DISTRIBUTION_LABELS, first, resolved, strict=True)],
    )
    return Page(
        [summary, spread],
        [
            charts.bar_chart(_("İlk yanıt süresi dağılımı"), DISTRIBUTION_LABELS, first),
            charts.bar_chart(_("Çözüm süresi dağılımı"), DISTRIBUTION_LABELS, resolved),
        ],
    )


def sla_page(scope: Scope) -> Page:
    ws, period, filters, now = scope.workspace, scope.period, scope.filters, scope.now
    current = metrics.sla_compliance(ws, period, now, filters)
    before = metrics.sla_compliance(ws, period.previous(), now, filters)
    reopen = metrics.reopen_rate(ws, period, filters)
    summary = Table(
        "sla",
        _("SLA uyumu"),
        [
            Column(_("Hedef"), TEXT),
            Column(_("Karşılanan")),
            Column(_("Ölçülen")),
            Column(_("Uyum"), PERCENT),
            Column(_("Önceki dönem"), PERCENT),
        ],
        [
            [
                _("İlk yanıt"),
                current.first_response.part,
                current.first_response.whole,
                current.first_response.percent,
                before.first_response.percent,
            ],
            [
                _("Çözüm"),
                current.resolution.part,
                current.resolution.whole,
                current.resolution.percent,
                before.resolution.percent,
            ],
            [_("Yeniden açılma oranı"), reopen.part, reopen.whole, reopen.percent, None],
        ],
    )
    series = metrics.sla_series(ws, period, now, filters)
    table = Table(
        "sla_series",
        _("Dönem dilimlerine göre SLA uyumu"),
        [
            Column(_("Başlangıç"), DATE),
            Column(_("Bitiş"), DATE),
            Column(_("İlk yanıt uyumu"), PERCENT),
            Column(_("Çözüm uyumu"), PERCENT),
        ],
        [[b.first, b.last, c.first_response.percent, c.resolution.percent] for b, c in series],
    )
    chart = charts.bar_chart(
        _("İlk yanıt SLA uyumu"),
        [_bucket_label(b.first, b.last) for b, _c in series],
        [c.first_response.percent for _b, c in series],
        maximum=100,
        suffix="%",
    )
    return Page([summary, table], [chart])


def categories_page(scope: Scope) -> Page:
    rows = metrics.top_categories(scope.workspace, scope.period, scope.filters)
    before = {
        r.category_id: r.tickets
        for r in metrics.top_categories(scope.workspace, scope.period.previous(), scope.filters)
    }
    total = sum(r.tickets for r in rows)
    names = [r.name or _("Kategorisiz") for r in rows]
    table = Table(
        "categories",
        _("Kategoriler"),
        [
            Column(_("Kategori"), TEXT),
            Column(_("Talepler")),
            Column(_("Pay"), PERCENT),
            Column(_("Önceki dönem")),
        ],
        [
            [name, r.tickets, 100 * r.tickets / total, before.get(r.category_id, 0)]
            for name, r in zip(names, rows, strict=True)
        ],
    )
    chart = charts.horizontal_bars(_("Kategoriler"), names, [r.tickets for r in rows])
    return Page([table], [chart])


def agents_table(scope: Scope) -> Table:
    rows = metrics.agents(scope.workspace, scope.period, scope.filters)
    return Table(
        "agents",
        _("Temsilciler"),
        [
            Column(_("Temsilci"), TEXT),
            Column(_("Çözülen")),
            Column(_("Gönderilen yanıt")),
            Column(_("İlk yanıt ortancası"), DURATION),
            Column(_("İlk yanıt ortancası (iş saatleri)"), DURATION),
        ],
        [
            [
                r.name,
                r.resolved,
                r.replies,
                r.median_first_response,
                r.median_first_response_business,
            ]
            for r in rows
        ],
    )


def agents_page(scope: Scope) -> Page:
    return Page([agents_table(scope)])


@dataclass(frozen=True)
class Report:
    title: str
    build: Callable[[Scope], Page]


REPORTS: dict[str, Report] = {
    "volume": Report(gettext_lazy("Talep hacmi"), volume_page),
    "times": Report(gettext_lazy("Yanıt ve çözüm süreleri"), times_page),
    "sla": Report(gettext_lazy("SLA ve yeniden açılma"), sla_page),
    "categories": Report(gettext_lazy("Kategoriler"), categories_page),
    "agents": Report(gettext_lazy("Temsilciler"), agents_page),
}
