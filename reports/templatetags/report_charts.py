"""`{% bar_chart chart %}` and `{% line_chart chart %}`: a chart from `reports.charts` as accessible SVG,
its text summary and a table of the same figures."""

from __future__ import annotations

from django import template

from ..charts import BarChart, LineChart

register = template.Library()


@register.inclusion_tag("reports/includes/bar_chart.html")
def bar_chart(chart: BarChart) -> dict:
    return {"chart": chart}


@register.inclusion_tag("reports/includes/line_chart.html")
def line_chart(chart: LineChart) -> dict:
    return {"chart": chart}
