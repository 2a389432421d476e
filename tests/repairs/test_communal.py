"""Communal reports: neighbours reporting one fault follow one job, until that job is no longer open."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connections

from repairs.models import Job, JobState
from tests.properties.factories import CommunalAreaFactory
from tests.repairs.factories import (
    CommunalJobFactory,
    EmergencyPriorityFactory,
    PriorityFactory,
    TradeFactory,
)
from workflows.services import transition_job

from .reporting import report


@pytest.mark.django_db
def test_three_residents_reporting_one_broken_lift_make_one_job_with_three_reports():
    lift = CommunalAreaFactory()

    reports = [report(communal_area=lift, contact_name=name) for name in ("Ana", "Ben", "Cal")]

    assert Job.objects.count() == 1
    job = Job.objects.get()
    assert sorted(job.reports.values_list("contact_name", flat=True)) == ["Ana", "Ben", "Cal"]
    assert [r.joined_existing_job for r in reports] == [False, True, True]
    assert len({r.reference for r in reports}) == 3
    assert len({r.status_token for r in reports}) == 3


@pytest.mark.django_db
def test_report_after_the_job_is_closed_makes_a_new_job():
    lift = CommunalAreaFactory()
    first = report(communal_area=lift)
    job = first.job
    for action in ("triage", "schedule", "start_work", "complete", "close"):
        transition_job(job, action, by=None)

    later = report(communal_area=lift)

    assert later.job != first.job
    assert later.job.state == JobState.REPORTED
    assert later.joined_existing_job is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state", [JobState.CANCELLED, JobState.REJECTED, JobState.MERGED, JobState.COMPLETED]
)
def test_job_no_longer_open_is_not_joined(state):
    lift = CommunalAreaFactory()
    CommunalJobFactory(communal_area=lift, state=state)

    made = report(communal_area=lift)

    assert made.job.state == JobState.REPORTED
    assert Job.objects.count() == 2


@pytest.mark.django_db
def test_report_for_another_trade_in_the_same_area_makes_its_own_job():
    hall = CommunalAreaFactory(name="Entrance hall")
    lights = report(communal_area=hall, trade=TradeFactory(code="EL"))

    door = report(communal_area=hall, trade=TradeFactory(code="DE"))

    assert door.job != lights.job


@pytest.mark.django_db
def test_report_for_another_area_makes_its_own_job():
    first = report(communal_area=CommunalAreaFactory(name="Lift A"))

    second = report(communal_area=CommunalAreaFactory(name="Lift B"))

    assert second.job != first.job


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_residents_reporting_at_the_same_moment_make_one_job():
    lift = CommunalAreaFactory()
    TradeFactory(code="LF")
    residents = 4
    barrier = threading.Barrier(residents, timeout=10)
    errors: list[BaseException] = []

    def resident(name: str) -> None:
        try:
            barrier.wait()
            report(communal_area=lift, contact_name=name)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=resident, args=(f"Resident {n}",)) for n in range(residents)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert errors == []
    assert Job.objects.count() == 1
    assert Job.objects.get().reports.count() == residents


@pytest.mark.django_db
def test_more_urgent_report_raises_the_shared_jobs_priority_and_brings_its_due_date_forward():
    lift = CommunalAreaFactory()
    first = report(communal_area=lift)
    routine_due = first.job.due_at

    urgent = report(communal_area=lift, priority=EmergencyPriorityFactory())

    job = Job.objects.get(pk=first.job.pk)
    assert urgent.job == job
    assert job.priority.code == "EM"
    assert job.due_at < routine_due
    assert job.due_at - urgent.created_at <= datetime.timedelta(hours=24)


@pytest.mark.django_db
def test_less_urgent_report_leaves_the_shared_jobs_priority_and_due_date_alone():
    lift = CommunalAreaFactory()
    first = report(communal_area=lift, priority=EmergencyPriorityFactory())

    report(communal_area=lift, priority=PriorityFactory(code="RO"))

    job = Job.objects.get(pk=first.job.pk)
    assert (job.priority.code, job.due_at) == ("EM", first.job.due_at)
