"""The reports page's content: every figure for a scope, and the charts and summaries drawn from them."""

from __future__ import annotations

from decimal import Decimal

from . import figures
from .charts import BarChart, BarRow, LineChart, Series
from .scope import Scope


def percent(value: float | None) -> str:
    return "no jobs" if value is None else f"{value:.0f}%"


def money(value: Decimal) -> str:
    return f"£{value:,.2f}"


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def counts_chart(key: str, title: str, counts: list[figures.Count_], *, of_what: str) -> BarChart:
    whole = figures.total(counts)
    if whole:
        top = max(counts, key=lambda c: c.value)
        summary = f"{plural(whole, of_what)} in all; the largest group is {top.label} ({top.value:,})."
    else:
        summary = f"No {of_what}s."
    return BarChart(key, title, summary, [BarRow(c.label, c.value, f"{c.value:,}") for c in counts])


def flow_chart(weeks: list[figures.Week]) -> LineChart:
    raised = sum(w.raised for w in weeks)
    done = sum(w.completed for w in weeks)
    busiest = max(weeks, key=lambda w: w.raised) if weeks else None
    summary = f"Over {plural(len(weeks), 'week')}, {raised:,} jobs raised and {done:,} completed."
    if busiest and busiest.raised:
        summary += f" Most raised in the week starting {busiest.starts:%-d %B %Y} ({busiest.raised:,})."
    return LineChart(
        "flow",
        "Jobs raised and completed each week",
        summary,
        [f"{w.starts:%-d %b}" for w in weeks],
        [Series("Raised", [w.raised for w in weeks]), Series("Completed", [w.completed for w in weeks])],
    )


def compliance_chart(rows: list[figures.Compliance]) -> BarChart:
    if rows:
        done = sum(r.completed for r in rows)
        on_time = sum(r.on_time for r in rows)
        summary = (
            f"{on_time:,} of {done:,} jobs completed by their due date ({percent(100 * on_time / done)})."
        )
        worst = min(rows, key=lambda r: r.percent)
        summary += f" Lowest: {worst.priority} at {percent(worst.percent)}."
    else:
        summary = "No jobs completed in this period."
    return BarChart(
        "compliance",
        "Completed by the due date, by priority",
        summary,
        [
            BarRow(r.priority, r.percent or 0, f"{percent(r.percent)} ({r.on_time:,} of {r.completed:,})")
            for r in rows
        ],
        value_heading="On time",
    )


def estate_cost_chart(costs: list[figures.Cost]) -> BarChart:
    spent = sum((c.actual for c in costs), Decimal("0"))
    summary = f"{money(spent)} actual cost across {plural(len(costs), 'estate')}."
    if costs and costs[0].actual:
        summary += f" Highest: {costs[0].label}, {money(costs[0].actual)}."
    return BarChart(
        "estate-costs",
        "Actual cost by estate",
        summary,
        [BarRow(c.label, float(c.actual), money(c.actual)) for c in costs],
        value_heading="Actual cost",
    )


def build(scope: Scope) -> dict:
    open_states = figures.open_by_state(scope)
    overdue = figures.overdue_by_priority(scope)
    weeks = figures.weekly_flow(scope)
    compliance = figures.due_compliance(scope)
    channels = figures.channel_mix(scope)
    estate_costs = figures.costs_by_estate(scope)
    return {
        "open_states": open_states,
        "open_total": figures.total(open_states),
        "open_chart": counts_chart("open", "Open jobs by state, now", open_states, of_what="open job"),
        "overdue": overdue,
        "overdue_total": figures.total(overdue),
        "weeks": weeks,
        "flow_chart": flow_chart(weeks),
        "compliance": compliance,
        "compliance_chart": compliance_chart(compliance),
        "time_to_complete": figures.time_to_complete(scope),
        "first_time_fix": figures.first_time_fix(scope),
        "no_access": figures.no_access_rate(scope),
        "channels": channels,
        "channel_chart": counts_chart("channels", "Jobs raised by channel", channels, of_what="job"),
        "communal": figures.communal_reports(scope),
        "hazards": figures.hazard_compliance(scope),
        "estate_costs": estate_costs,
        "estate_cost_chart": estate_cost_chart(estate_costs),
        "property_costs": figures.costs_by_property(scope),
    }
