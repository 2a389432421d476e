"""Awaab's Law clocks: each stage's due moment over weekends, bank holidays (England and Wales),
closure days (which do not stop a legal clock), the clock change and a report at 23:59 on a Friday."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from workflows.hazards import clocks
from workflows.hazards.models import HazardKind, Stage
from workflows.models import ClosureDay
from workflows.sla import WorkingCalendar, bank_holidays

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def london(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=LONDON)


def end_of(year: int, month: int, day: int) -> datetime.datetime:
    return london(year, month, day, 23, 59, 59)


@pytest.fixture
def damp() -> HazardKind:
    return HazardKind.objects.get(code="damp-and-mould")


@pytest.fixture
def emergency() -> HazardKind:
    return HazardKind.objects.get(code="emergency-hazard")


def test_the_default_kinds_carry_the_published_timescales(damp, emergency):
    assert damp.clock("investigation") == (10, "working_days")
    assert damp.clock("summary") == (3, "working_days")
    assert damp.clock("safety_works") == (5, "working_days")
    assert damp.clock("preventative") == (5, "working_days")
    assert damp.clock("preventative_longest") == (84, "days")
    assert emergency.clock("investigation") == (24, "hours")
    assert emergency.clock("safety_works") == (24, "hours")
    assert damp.emergency_kind == emergency
    assert set(damp.priorities.values_list("code", flat=True)) == {"DMI"}


# A report at 23:59 on Friday 7 November 2025: day one is Monday 10th, so day ten is Friday 21st.
FRIDAY_2359 = london(2025, 11, 7, 23, 59)


@pytest.mark.parametrize(
    ("stage", "start", "due"),
    [
        (Stage.INVESTIGATION, FRIDAY_2359, end_of(2025, 11, 21)),
        # Investigation finished on that Friday night: 3 and 5 working days from Monday.
        (Stage.SUMMARY, FRIDAY_2359, end_of(2025, 11, 12)),
        (Stage.SAFETY_WORKS, FRIDAY_2359, end_of(2025, 11, 14)),
        (Stage.PREVENTATIVE_WORKS, FRIDAY_2359, end_of(2025, 11, 14)),
        # One minute later it is Saturday: the same Monday is day one, so the same due moments.
        (Stage.INVESTIGATION, london(2025, 11, 8, 0, 0), end_of(2025, 11, 21)),
        # Monday 00:00 counts from Tuesday.
        (Stage.SUMMARY, london(2025, 11, 10, 0, 0), end_of(2025, 11, 13)),
    ],
    ids=["investigation", "summary", "safety-works", "preventative", "saturday-midnight", "monday-midnight"],
)
def test_significant_clocks_from_a_report_at_2359_on_a_friday(damp, stage, start, due):
    assert clocks.stage_due(damp, stage, start) == due


def test_emergency_clocks_run_24_hours_through_the_weekend(emergency):
    assert clocks.stage_due(emergency, Stage.INVESTIGATION, FRIDAY_2359) == london(2025, 11, 8, 23, 59)
    assert clocks.stage_due(emergency, Stage.SAFETY_WORKS, FRIDAY_2359) == london(2025, 11, 8, 23, 59)


@pytest.mark.parametrize(
    ("stage", "start", "due"),
    [
        # Thursday before Easter 2025: Good Friday 18, Easter Monday 21 April and 5 May are skipped.
        (Stage.INVESTIGATION, london(2025, 4, 17, 10, 0), end_of(2025, 5, 6)),
        (Stage.SUMMARY, london(2025, 4, 17, 16, 0), end_of(2025, 4, 24)),
        # Early May bank holiday (Monday 5 May 2025) inside a 5-working-day clock.
        (Stage.SAFETY_WORKS, london(2025, 5, 1, 9, 0), end_of(2025, 5, 9)),
        # Christmas 2025: 25, 26 December and 1 January are skipped.
        (Stage.SUMMARY, london(2025, 12, 23, 15, 0), end_of(2025, 12, 30)),
        (Stage.INVESTIGATION, london(2025, 12, 22, 9, 0), end_of(2026, 1, 8)),
    ],
    ids=[
        "easter-investigation",
        "easter-summary",
        "early-may",
        "christmas-summary",
        "christmas-investigation",
    ],
)
@pytest.mark.parametrize("nation", ["ENG", "WLS"])
def test_working_day_clocks_skip_bank_holidays_in_england_and_wales(damp, stage, start, due, nation):
    bank_holidays.cache_clear()
    with override_settings(BANK_HOLIDAY_SUBDIVISION=nation):
        assert clocks.stage_due(damp, stage, start) == due
    bank_holidays.cache_clear()


@pytest.mark.parametrize(
    ("nation", "due"),
    [("ENG", end_of(2026, 1, 5)), ("WLS", end_of(2026, 1, 5)), ("SCT", end_of(2026, 1, 6))],
)
def test_the_nations_bank_holidays_are_the_ones_counted(damp, nation, due):
    # England and Wales share their bank holidays, so the test above would pass if the setting were
    # ignored; Scotland's 2 January shows it is read. From Tuesday 30 December 2025: 31 December, then
    # 2 January (not in Scotland), then Monday 5 January.
    bank_holidays.cache_clear()
    with override_settings(BANK_HOLIDAY_SUBDIVISION=nation):
        assert clocks.stage_due(damp, Stage.SUMMARY, london(2025, 12, 30, 15, 0)) == due
    bank_holidays.cache_clear()


def test_emergency_clock_runs_through_a_bank_holiday(emergency):
    good_friday_morning = london(2025, 4, 18, 9, 30)
    assert clocks.stage_due(emergency, Stage.INVESTIGATION, good_friday_morning) == london(2025, 4, 19, 9, 30)


def test_closure_days_do_not_lengthen_a_legal_clock(damp):
    # Between Christmas and New Year the council is closed on 29, 30 and 31 December 2025, but the
    # regulations' working days are every day but weekends and bank holidays: the summary is still due
    # by the end of Tuesday 30th, while a routine job's due date skips the closure.
    for day in (29, 30, 31):
        ClosureDay.objects.create(date=datetime.date(2025, 12, day), reason="Christmas closure")
    assert clocks.stage_due(damp, Stage.SUMMARY, london(2025, 12, 23, 15, 0)) == end_of(2025, 12, 30)
    job_calendar = WorkingCalendar.covering(datetime.date(2025, 12, 23), 3)
    assert job_calendar.add_working_days(datetime.date(2025, 12, 23), 3) == datetime.date(2026, 1, 5)


def test_a_closure_day_outside_the_clock_changes_nothing(damp):
    ClosureDay.objects.create(date=datetime.date(2025, 11, 24), reason="Staff training")
    assert clocks.stage_due(damp, Stage.INVESTIGATION, FRIDAY_2359) == end_of(2025, 11, 21)


def test_24_hours_over_the_clocks_going_back_is_24_elapsed_hours(emergency):
    # Clocks go back at 2am on Sunday 26 October 2025: 24 hours from 9am Saturday is 8am Sunday.
    start = london(2025, 10, 25, 9, 0)
    due = clocks.stage_due(emergency, Stage.INVESTIGATION, start)
    assert due == london(2025, 10, 26, 8, 0)
    # Same-zone subtraction would compare wall clocks (23 hours); elapsed time is measured in UTC.
    assert due.astimezone(datetime.UTC) - start.astimezone(datetime.UTC) == datetime.timedelta(hours=24)


def test_24_hours_over_the_clocks_going_forward_is_24_elapsed_hours(emergency):
    # Clocks go forward at 1am on Sunday 29 March 2026: 24 hours from 9am Saturday is 10am Sunday.
    start = london(2026, 3, 28, 9, 0)
    due = clocks.stage_due(emergency, Stage.SAFETY_WORKS, start)
    assert due == london(2026, 3, 29, 10, 0)
    assert due.astimezone(datetime.UTC) - start.astimezone(datetime.UTC) == datetime.timedelta(hours=24)


def test_working_days_across_the_clock_change_end_at_local_midnight(damp):
    # Reported Friday 24 October 2025 (BST); due the end of Friday 7 November (GMT).
    due = clocks.stage_due(damp, Stage.INVESTIGATION, london(2025, 10, 24, 17, 0))
    assert due == end_of(2025, 11, 7)
    assert due.utcoffset() == datetime.timedelta(0)


def test_an_administrator_can_correct_a_timescale(damp):
    damp.summary_value = 2
    damp.save()
    assert clocks.stage_due(damp, Stage.SUMMARY, FRIDAY_2359) == end_of(2025, 11, 11)


def test_twelve_weeks_is_84_calendar_days(damp):
    assert clocks.longest_preventative_due(damp, FRIDAY_2359) == end_of(2026, 1, 30)


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (3 * 86400 + 2 * 3600, "3 days 2 hours left"),
        (45 * 60, "45 minutes left"),
        (-5 * 3600, "overdue by 5 hours"),
    ],
)
def test_time_left_reads_for_staff(seconds, words):
    now = london(2025, 11, 10, 9, 0)
    assert clocks.time_left_in_words(now + datetime.timedelta(seconds=seconds), now) == words


def test_due_moments_read_in_london_time():
    assert clocks.when_in_words(end_of(2025, 11, 21)) == "the end of Friday 21 November 2025"
    assert clocks.when_in_words(london(2025, 11, 8, 23, 59)) == "11:59pm on Saturday 8 November 2025"
