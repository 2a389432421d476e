"""Due dates across bank holidays, closure days and clock changes, for hours and working-day targets."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from repairs.models import Job, JobState, Priority
from tests.repairs.factories import JobFactory
from workflows.models import ClosureDay
from workflows.sla import due_at

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def london(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=LONDON)


def end_of(year: int, month: int, day: int) -> datetime.datetime:
    return london(year, month, day, 23, 59, 59)


def priority(code: str) -> Priority:
    return Priority.objects.get(code=code)


@pytest.mark.parametrize(
    ("code", "reported", "due"),
    [
        # Thursday before Easter 2025: Good Friday 18 and Easter Monday 21 April are bank holidays.
        ("UR", london(2025, 4, 17, 10, 0), end_of(2025, 4, 28)),
        # Good Friday itself: counting starts on the Tuesday after Easter Monday.
        ("UR", london(2025, 4, 18, 9, 0), end_of(2025, 4, 28)),
        # Damp and mould investigation (10 working days) straddling Easter.
        ("DMI", london(2025, 4, 14, 9, 0), end_of(2025, 4, 30)),
        # Friday before the August bank holiday (Monday 25 August 2025).
        ("UR", london(2025, 8, 22, 15, 0), end_of(2025, 9, 1)),
        # Christmas Eve 2025: Christmas Day, Boxing Day and New Year's Day are skipped.
        ("UR", london(2025, 12, 24, 11, 0), end_of(2026, 1, 5)),
        # Christmas 2021 fell at a weekend: the substitute days (27, 28 December, 3 January) are skipped.
        ("UR", london(2021, 12, 24, 11, 0), end_of(2022, 1, 5)),
        # Routine, 20 working days, from a Saturday: day one is the Monday.
        ("RO", london(2025, 6, 7, 12, 0), end_of(2025, 7, 4)),
    ],
    ids=[
        "urgent-thursday-before-easter",
        "urgent-good-friday",
        "damp-investigation-over-easter",
        "urgent-before-august-bank-holiday",
        "urgent-christmas-eve",
        "urgent-christmas-substitute-days",
        "routine-from-a-saturday",
    ],
)
def test_working_day_target_skips_weekends_and_bank_holidays(code, reported, due):
    assert due_at(priority=priority(code), reported_at=reported) == due


def test_council_closure_days_are_not_working_days():
    for day in (29, 30, 31):
        ClosureDay.objects.create(date=datetime.date(2025, 12, day), reason="Christmas closure")
    ClosureDay.objects.create(date=datetime.date(2026, 1, 2), reason="Christmas closure")

    assert due_at(priority=priority("UR"), reported_at=london(2025, 12, 24, 11, 0)) == end_of(2026, 1, 9)


def test_working_days_are_counted_from_the_london_date_not_the_utc_date():
    # 00:30 on Tuesday in London is still Monday in UTC.
    reported = london(2025, 4, 22, 0, 30)
    assert reported.astimezone(datetime.UTC).date() == datetime.date(2025, 4, 21)

    assert due_at(priority=priority("UR"), reported_at=reported) == end_of(2025, 4, 29)


@pytest.mark.parametrize("code", ["EM", "DME"])
def test_hours_target_runs_through_bank_holidays(code):
    reported = london(2025, 4, 18, 16, 30)  # Good Friday

    assert due_at(priority=priority(code), reported_at=reported) == london(2025, 4, 19, 16, 30)


def test_hours_target_counts_elapsed_hours_across_the_clock_change():
    # Clocks went forward at 01:00 on Sunday 30 March 2025: 24 hours after noon GMT is 13:00 BST.
    reported = london(2025, 3, 29, 12, 0)

    assert due_at(priority=priority("EM"), reported_at=reported) == london(2025, 3, 30, 13, 0)


def test_hours_target_ignores_closure_days():
    ClosureDay.objects.create(date=datetime.date(2025, 12, 29), reason="Christmas closure")

    due = due_at(priority=priority("EM"), reported_at=london(2025, 12, 28, 20, 0))

    assert due == london(2025, 12, 29, 20, 0)


def test_target_edited_in_the_admin_applies_to_new_jobs():
    urgent = priority("UR")
    urgent.target_value = 3
    urgent.save()

    assert due_at(priority=urgent, reported_at=london(2025, 8, 22, 15, 0)) == end_of(2025, 8, 28)


def test_shipped_priorities_carry_the_agreed_targets():
    targets = {p.code: (p.target_value, p.target_unit, p.is_emergency) for p in Priority.objects.all()}

    assert targets == {
        "EM": (24, "hours", True),
        "DME": (24, "hours", True),
        "UR": (5, "working_days", False),
        "DMI": (10, "working_days", False),
        "RO": (20, "working_days", False),
    }


def test_overdue_is_a_query_over_open_jobs_past_due():
    now = london(2025, 5, 1, 12, 0)
    late = JobFactory(due_at=now - datetime.timedelta(minutes=1))
    JobFactory(due_at=now + datetime.timedelta(minutes=1))
    JobFactory(due_at=now - datetime.timedelta(days=3), state=JobState.CLOSED)
    JobFactory(due_at=now - datetime.timedelta(days=3), state=JobState.CANCELLED)

    assert list(Job.objects.overdue(now)) == [late]
