"""Priority changes: recorded, due date counted from the report, never later on a raise; merges keep the
more urgent priority and the earlier due date."""

from __future__ import annotations

import datetime

import pytest

from repairs.models import Job, TargetUnit
from tests.properties.factories import CommunalAreaFactory
from tests.repairs.factories import CommunalJobFactory, EmergencyPriorityFactory, JobFactory, PriorityFactory
from workflows.errors import TransitionNotAllowed, TransitionNotPermitted
from workflows.models import JobEvent
from workflows.services import change_priority, merge_jobs
from workflows.sla import due_at

from .factories import user_in_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def urgent():
    return PriorityFactory(code="UR", name="Urgent", target_value=5, target_unit=TargetUnit.WORKING_DAYS)


def test_raising_priority_records_it_and_counts_the_due_date_from_the_report(urgent):
    job = JobFactory()
    manager = user_in_role("Repairs managers")

    change_priority(job, urgent, by=manager, note="Water coming through the ceiling")

    job = Job.objects.get(pk=job.pk)
    assert job.priority == urgent
    assert job.due_at == due_at(priority=urgent, reported_at=job.created_at)
    event = JobEvent.objects.get(job=job, action="priority_changed")
    assert (event.actor, event.is_public) == (manager, False)
    assert "RO → UR" in event.note and "Water coming through the ceiling" in event.note


def test_a_raise_never_moves_the_due_date_later(urgent):
    job = JobFactory(priority=urgent)
    early = job.created_at + datetime.timedelta(hours=2)
    Job.objects.filter(pk=job.pk).update(due_at=early)
    job.refresh_from_db()

    change_priority(job, EmergencyPriorityFactory(), by=None, note="Now an emergency")

    assert Job.objects.get(pk=job.pk).due_at == early


def test_lowering_priority_may_move_the_due_date_later(urgent):
    job = JobFactory(priority=urgent)
    before = job.due_at

    change_priority(job, PriorityFactory(code="RO"), by=None, note="Not as bad as reported")

    assert Job.objects.get(pk=job.pk).due_at > before


def test_staff_must_say_why_and_need_the_triage_permission(urgent):
    job = JobFactory()

    with pytest.raises(TransitionNotAllowed, match="say why"):
        change_priority(job, urgent, by=user_in_role("Repairs managers"), note=" ")
    with pytest.raises(TransitionNotPermitted):
        change_priority(job, urgent, by=user_in_role("Contractors"), note="Because")

    assert Job.objects.get(pk=job.pk).priority.code == "RO"
    assert not JobEvent.objects.filter(job=job).exists()


def test_a_closed_job_keeps_its_priority(urgent):
    job = JobFactory(state="closed")

    with pytest.raises(TransitionNotAllowed, match="only an open job"):
        change_priority(job, urgent, by=None, note="Too late")


def test_merge_keeps_the_more_urgent_priority_and_the_earlier_due_date():
    lift = CommunalAreaFactory()
    into = CommunalJobFactory(communal_area=lift)
    source = CommunalJobFactory(communal_area=lift, priority=EmergencyPriorityFactory())
    assert source.due_at < into.due_at

    survivor = merge_jobs(source, into, by=None)

    survivor = Job.objects.get(pk=survivor.pk)
    assert (survivor.priority.code, survivor.due_at) == ("EM", source.due_at)


def test_merge_into_the_more_urgent_job_leaves_it_alone():
    lift = CommunalAreaFactory()
    into = CommunalJobFactory(communal_area=lift, priority=EmergencyPriorityFactory())
    source = CommunalJobFactory(communal_area=lift)

    merge_jobs(source, into, by=None)

    assert Job.objects.get(pk=into.pk).due_at == into.due_at
