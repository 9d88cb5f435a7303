"""Server-drawn SVG charts: scaled, labelled, escaped."""

from __future__ import annotations

from destek.reports.charts import bar_chart, horizontal_bars, nice_ceiling


def test_nice_ceiling():
    assert [nice_ceiling(v) for v in (0, 7, 10, 11, 240, 2600)] == [1, 10, 10, 20, 250, 5000]


def test_bar_chart_draws_a_bar_per_value_and_none_for_nothing():
    svg = bar_chart("Gelen", ["01.10", "02.10", "03.10"], [5, None, 2])

    assert svg.startswith('<svg class="chart" viewBox="0 0 640 260" width="100%" role="img"')
    assert svg.count("<rect ") == 2
    assert "<title>01.10: 5</title>" in svg
    assert 'height="206.0"' in svg  # 5 on a scale of 5 fills the plot (260 − 12 − 42)


def test_labels_are_escaped():
    svg = horizontal_bars("Kategoriler", ["<script>x</script>"], [3])

    assert "<script>" not in svg
    assert "&lt;script&gt;x&lt;/script&gt;" in svg


def test_labels_are_thinned_on_long_series():
    svg = bar_chart("Gelen", [f"{d:02d}.10" for d in range(1, 31)], [1] * 30)

    # 588 px of plot for 30 labels: one label in every three (~44 px apart).
    assert svg.count('text-anchor="middle"') == 10
