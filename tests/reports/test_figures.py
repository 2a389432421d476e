"""Every figure on the reports page against the hand-counted service in conftest.py."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from reports import figures
from tests.reports.conftest import PERIOD, noon, period_scope
from workflows.models import ClosureDay, LifecycleSettings

pytestmark = pytest.mark.django_db


def by_label(counts) -> dict[str, int]:
    return {c.label: c.value for c in counts}


def test_open_jobs_by_state_are_counted_now_in_lifecycle_order(service) -> None:
    counts = figures.open_by_state(period_scope())
    assert [c.label for c in counts] == [
        "Reported",
        "Triaged",
        "Scheduled",
        "In progress",
        "On hold",
        "No access",
    ]
    assert by_label(counts) == {
        "Reported": 2, "Triaged": 1, "Scheduled": 1, "In progress": 0, "On hold": 0, "No access": 0,
    }  # fmt: skip


def test_raised_and_completed_per_week_leave_out_the_merged_duplicate(service) -> None:
    weeks = figures.weekly_flow(period_scope())
    assert [(w.starts, w.raised, w.completed) for w in weeks] == [
        (datetime.date(2026, 3, 30), 2, 0),  # A, B raised
        (datetime.date(2026, 4, 6), 1, 2),  # K raised; A, B completed
        (datetime.date(2026, 4, 13), 3, 1),  # C, D, E raised (F merged into E); D completed once
        (datetime.date(2026, 4, 20), 2, 2),  # G, H raised; G, I completed
    ]


def test_a_job_reopened_after_closure_is_completed_once_in_the_week_the_work_was_done(service) -> None:
    weeks = {w.starts: w.completed for w in figures.weekly_flow(period_scope())}
    assert weeks[datetime.date(2026, 4, 13)] == 1
    assert sum(weeks.values()) == 5


def test_due_date_compliance_by_priority(service) -> None:
    rows = figures.due_compliance(period_scope())
    assert [(r.priority, r.completed, r.on_time) for r in rows] == [("Urgent", 1, 0), ("Routine", 4, 3)]
    assert rows[1].percent == 75


def test_overdue_jobs_by_priority_at_a_moment(service) -> None:
    counts = figures.overdue_by_priority(period_scope(), now=noon(5, 1))
    assert by_label(counts) == {"Urgent": 2}  # C and E; H and L are not due yet, F is merged


def test_working_days_to_complete_skip_the_easter_bank_holidays(service) -> None:
    result = figures.time_to_complete(period_scope())
    # A 1 (Thu 2 to Tue 7 April over Good Friday and Easter Monday), B 6, D 4, G 1, I 23.
    assert result.jobs == 5
    assert result.average == pytest.approx(7.0)
    assert result.percentile_90 == 23


def test_a_council_closure_day_is_not_a_working_day(service) -> None:
    ClosureDay.objects.create(date=datetime.date(2026, 4, 8), reason="Staff training")
    result = figures.time_to_complete(period_scope(trades=(service.plumbing.pk,)))
    # A 1, B 5 (8 April closed), G 1, I 22.
    assert result.jobs == 4
    assert result.average == pytest.approx((1 + 5 + 1 + 22) / 4)


def test_the_90th_percentile_is_the_smallest_figure_nine_in_ten_jobs_met(service) -> None:
    result = figures.time_to_complete(period_scope(priorities=(service.routine.pk,)))
    # A 1, D 4, G 1, I 23: rank ceil(0.9 * 4) = 4, the slowest.
    assert (result.jobs, result.percentile_90) == (4, 23)
    result = figures.time_to_complete(period_scope(trades=(service.electrical.pk,)))
    assert (result.jobs, result.average, result.percentile_90) == (1, 4.0, 4)


def test_first_time_fix_counts_recalls_and_follow_ons_within_the_recall_period(service) -> None:
    rate = figures.first_time_fix(period_scope())
    # Repairs completed: A, B, D, G, I. B was recalled (C) and G needed a follow-on (H); A's recall L
    # came 64 days after completion, past the 30-day period.
    assert (rate.part, rate.whole) == (3, 5)
    assert rate.percent == 60


def test_a_longer_recall_period_counts_a_later_recall(service) -> None:
    settings = LifecycleSettings.load()
    settings.recall_days = 90
    settings.save()
    rate = figures.first_time_fix(period_scope())
    assert (rate.part, rate.whole) == (2, 5)


def test_no_access_rate_is_visits_without_access_out_of_visits_made(service) -> None:
    rate = figures.no_access_rate(period_scope())
    # No access on B (after starting) and on E (from the booking); visits: 6 starts + E's.
    assert (rate.part, rate.whole) == (2, 7)


def test_channel_mix_counts_jobs_raised_by_channel(service) -> None:
    assert by_label(figures.channel_mix(period_scope())) == {"Online": 3, "Phone": 2, "Staff": 2, "API": 1}


def test_a_merged_communal_job_is_counted_once_with_every_reporter(service) -> None:
    communal = figures.communal_reports(period_scope())
    assert (communal.jobs, communal.reports, communal.joined) == (1, 3, 2)  # the withdrawn report left out
    assert communal.per_job == 3


def test_costs_by_estate_from_jobs_completed_in_the_period(service) -> None:
    costs = figures.costs_by_estate(period_scope())
    assert [(c.label, c.jobs, c.actual, c.estimated, c.sor_value) for c in costs] == [
        ("Northfield", 3, Decimal("350"), Decimal("240"), Decimal("80")),
        ("No estate", 1, Decimal("30"), Decimal("0"), Decimal("0")),
        ("Southgate", 1, Decimal("0"), Decimal("0"), Decimal("0")),
    ]


def test_costs_by_property_highest_first(service) -> None:
    costs = figures.costs_by_property(period_scope())
    assert [(c.label, c.jobs, c.actual) for c in costs] == [
        ("2 Elm Road, AA1 1AB (H2)", 1, Decimal("200")),
        ("1 Elm Road, AA1 1AB (H1)", 2, Decimal("150")),
        ("3 Lone Lane, AA1 1AB (H3)", 1, Decimal("30")),
        ("4 Oak Court, AA1 1AB (H4)", 1, Decimal("0")),
    ]


def test_an_estate_filter_takes_homes_and_communal_areas_of_its_blocks(service) -> None:
    scope = period_scope(estate=service.estate_2.pk)
    assert sum(w.raised for w in figures.weekly_flow(scope)) == 1  # E, the lift
    assert figures.time_to_complete(scope).jobs == 1  # I, in a home on the estate


def test_filters_by_trade_priority_channel_and_team(service) -> None:
    assert by_label(figures.channel_mix(period_scope(trades=(service.electrical.pk,)))) == {
        "Online": 0, "Phone": 0, "Staff": 2, "API": 0,
    }  # fmt: skip
    assert sum(w.raised for w in figures.weekly_flow(period_scope(channels=("phone",)))) == 2
    assert figures.first_time_fix(period_scope(priorities=(service.urgent.pk,))).whole == 1
    assert figures.time_to_complete(period_scope(assignee=999_999)).jobs == 0


def test_the_period_is_whole_days_in_london(service) -> None:
    scope = period_scope()
    assert scope.start_at.isoformat() == "2026-03-30T00:00:00+01:00"  # British Summer Time began 29 March
    assert scope.end_at.isoformat() == "2026-04-27T00:00:00+01:00"
    assert (scope.start, scope.end) == PERIOD


def test_awaabs_law_compliance_is_none_until_hazards_are_recorded(service, monkeypatch) -> None:
    import importlib

    real = importlib.import_module

    def without_hazards(name, *args, **kwargs):
        if name.startswith("workflows.hazards"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", without_hazards)
    assert figures.hazard_compliance(period_scope()) is None


def test_awaabs_law_compliance_comes_from_the_hazards_selector_per_stage(service) -> None:
    rows = figures.hazard_compliance(period_scope())
    assert rows is not None and len(rows) >= 1
    assert all(row.due == 0 for row in rows)  # no hazard cases in the hand-counted service
