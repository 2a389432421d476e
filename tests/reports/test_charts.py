"""Charts are SVG drawn on the server: named, described, and backed by a table of the same figures."""

from __future__ import annotations

import re

from django.template import Context, Template

from reports.charts import BarChart, BarRow, LineChart, Series, _nice_top


def render(source: str, **context) -> str:
    return Template("{% load report_charts %}" + source).render(Context(context))


def test_a_bar_chart_is_an_image_named_by_its_title_and_described_by_its_summary() -> None:
    chart = BarChart(
        "open", "Open jobs", "5 open jobs.", [BarRow("Reported", 3, "3"), BarRow("Triaged", 2, "2")]
    )
    html = render("{% bar_chart chart %}", chart=chart)
    assert 'role="img"' in html
    assert 'aria-labelledby="chart-open-title chart-open-desc"' in html
    assert '<title id="chart-open-title">Open jobs</title>' in html
    assert '<desc id="chart-open-desc">5 open jobs.</desc>' in html
    cells = re.findall(r'<th scope="row" class="govuk-table__header">(.*?)</th><td[^>]*>(.*?)</td>', html)
    assert cells == [("Reported", "3"), ("Triaged", "2")]


def test_bars_are_in_proportion_and_a_nought_has_no_bar() -> None:
    chart = BarChart("x", "X", "", [BarRow("a", 10, "10"), BarRow("b", 5, "5"), BarRow("c", 0, "0")])
    widths = [row.width for row in chart.rows]
    assert widths[0] == 2 * widths[1]
    assert widths[2] == 0


def test_a_line_chart_draws_each_series_in_its_own_dash_and_marker_with_a_table() -> None:
    chart = LineChart(
        "flow",
        "Flow",
        "Summary.",
        ["1 Apr", "8 Apr"],
        [Series("Raised", [4, 2]), Series("Completed", [1, 3])],
    )
    html = render("{% line_chart chart %}", chart=chart)
    assert html.count("<polyline") == 2
    assert 'stroke-dasharray="6 4"' in html
    assert html.count("<circle") == 2 and html.count('width="8" height="8"') == 2
    assert "Dashed line with square markers: Completed" in html
    assert chart.rows == [("1 Apr", [4, 1]), ("8 Apr", [2, 3])]


def test_the_axis_top_is_a_round_number_at_or_above_the_largest_value() -> None:
    assert [_nice_top(v) for v in (0, 1, 3, 7, 12, 99, 101, 4500)] == [0, 1, 5, 10, 20, 100, 200, 5000]
