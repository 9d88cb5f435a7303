"""Charts as SVG drawn on the server: no script, no CDN, readable on a phone.

Each chart is a ``viewBox`` drawing that scales to the width of its box; labels are thinned so
they never overlap, and every value is also in the page's table (and its CSV), so the chart is
never the only way to read a number. Only presentation attributes are used (no ``style``).
"""

from __future__ import annotations

from collections.abc import Sequence
from math import ceil, log10

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 42
INK, MUTED, LINE, BAR, ALT = "#1f2933", "#6b7280", "#e5e7eb", "#2563eb", "#93c5fd"


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above ``value`` (1 for nothing)."""
    if value <= 0:
        return 1
    magnitude = 10 ** int(log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if value >= 1 or value == 0 else f"{value:.1f}"


def _svg(label: str, body: list[str], height: int = HEIGHT) -> SafeString:
    return mark_safe(  # noqa: S308 — every piece is escaped where it is made
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="12">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def _grid(top: float, suffix: str) -> list[str]:
    out = []
    plot = HEIGHT - TOP - BOTTOM
    for i in range(5):
        value = top * i / 4
        y = TOP + plot - plot * i / 4
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{LINE}"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{escape(_number(value))}{suffix}</text>"
        )
    return out


def bar_chart(
    label: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    maximum: float | None = None,
    suffix: str = "",
) -> SafeString:
    """Vertical bars, one per label; ``None`` draws no bar (nothing to measure)."""
    top = maximum or nice_ceiling(max((v or 0 for v in values), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(values), 1)
    every = max(1, ceil(len(labels) * 44 / plot_w))  # one label per ~44 px
    body = _grid(top, suffix)
    for i, (name, value) in enumerate(zip(labels, values, strict=True)):
        x = LEFT + i * slot
        if value:
            h = plot_h * min(value, top) / top
            body.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}{}</title>'
                    "</rect>",
                    f"{x + slot * 0.1:.1f}",
                    f"{TOP + plot_h - h:.1f}",
                    f"{slot * 0.8:.1f}",
                    f"{h:.1f}",
                    BAR,
                    name,
                    _number(value),
                    suffix,
                )
            )
        if i % every == 0:
            body.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                    f"{x + slot / 2:.1f}",
                    HEIGHT - BOTTOM + 16,
                    MUTED,
                    name,
                )
            )
    return _svg(label, body)


def horizontal_bars(label: str, labels: Sequence[str], values: Sequence[float]) -> SafeString:
    """One bar per row with its name above it: long names stay readable on a narrow screen."""
    row = 34
    height = TOP + row * max(len(values), 1) + 4
    top = max(values, default=0) or 1
    body = []
    for i, (name, value) in enumerate(zip(labels, values, strict=True)):
        y = TOP + i * row
        width = (WIDTH - 70) * value / top
        body.append(
            format_html(
                '<text x="0" y="{}" fill="{}">{}</text>'
                '<rect x="0" y="{}" width="{}" height="12" fill="{}"/>'
                '<text x="{}" y="{}" fill="{}">{}</text>',
                y + 10,
                INK,
                name,
                y + 15,
                f"{width:.1f}",
                BAR if i % 2 == 0 else ALT,
                f"{width + 6:.1f}",
                y + 26,
                MUTED,
                _number(value),
            )
        )
    return _svg(label, body, height)
