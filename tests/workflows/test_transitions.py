"""Every allowed transition moves the job and is recorded; every other one is refused and changes nothing."""

from __future__ import annotations

import pytest

from repairs.models import Job
from repairs.models import JobState as S
from tests.repairs.factories import EmergencyPriorityFactory, JobFactory
from workflows.errors import TransitionNotAllowed
from workflows.models import JobEvent
from workflows.services import transition_job

from .lifecycle_table import ALLOWED, ALLOWED_PAIRS, EMERGENCY_ONLY, FORBIDDEN_PAIRS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("action", "source"), ALLOWED_PAIRS)
def test_allowed_transition_moves_the_job_and_records_an_event(action, source):
    job = JobFactory(state=source)

    returned = transition_job(job, action, by=None, note="Reason given")

    target = ALLOWED[action][1]
    assert Job.objects.get(pk=job.pk).state == target
    assert returned.state == target
    assert job.state == target  # the caller's object is brought up to date
    event = JobEvent.objects.get(job=job)
    assert (event.action, event.from_state, event.to_state, event.actor) == (action, source, target, None)


@pytest.mark.parametrize(("action", "source"), FORBIDDEN_PAIRS)
def test_transition_from_a_state_it_does_not_leave_is_refused(action, source):
    job = JobFactory(state=source)

    with pytest.raises(TransitionNotAllowed, match="is not possible"):
        transition_job(job, action, by=None, note="Reason given")

    assert Job.objects.get(pk=job.pk).state == source
    assert not JobEvent.objects.filter(job=job).exists()


@pytest.mark.parametrize("source", EMERGENCY_ONLY["start_work"])
def test_emergency_starts_work_without_being_scheduled(source):
    job = JobFactory(state=source, priority=EmergencyPriorityFactory())

    transition_job(job, "start_work", by=None)

    assert Job.objects.get(pk=job.pk).state == S.IN_PROGRESS


@pytest.mark.parametrize("source", EMERGENCY_ONLY["start_work"])
def test_routine_job_cannot_start_before_it_is_scheduled(source):
    job = JobFactory(state=source)

    with pytest.raises(TransitionNotAllowed, match="only an emergency can start before it is scheduled"):
        transition_job(job, "start_work", by=None)

    assert Job.objects.get(pk=job.pk).state == source


@pytest.mark.parametrize("held_from", [S.TRIAGED, S.SCHEDULED, S.IN_PROGRESS])
def test_resume_returns_the_job_to_the_state_it_was_held_from(held_from):
    job = JobFactory(state=held_from)
    transition_job(job, "hold", by=None, note="Waiting for parts")

    transition_job(job, "resume", by=None)

    assert Job.objects.get(pk=job.pk).state == held_from


@pytest.mark.parametrize("action", ["cancel", "reject", "hold"])
def test_transition_that_needs_a_reason_is_refused_without_one(action):
    job = JobFactory(state=S.TRIAGED)

    with pytest.raises(TransitionNotAllowed, match="say why"):
        transition_job(job, action, by=None, note="   ")

    assert Job.objects.get(pk=job.pk).state == S.TRIAGED


def test_unknown_action_is_refused_by_name():
    job = JobFactory()

    with pytest.raises(TransitionNotAllowed, match="no action called 'fix'"):
        transition_job(job, "fix", by=None)


def test_merge_is_not_an_action_callers_can_name():
    job = JobFactory()

    with pytest.raises(TransitionNotAllowed, match="no action called 'merge'"):
        transition_job(job, "merge", by=None)


def test_state_cannot_be_set_by_hand():
    job = JobFactory()

    with pytest.raises(AttributeError, match="Direct state modification is not allowed"):
        job.state = S.CLOSED


def test_event_records_who_the_note_and_whether_it_is_public(django_user_model):
    manager = django_user_model.objects.create(username="morgan", first_name="Morgan", last_name="Lee")
    manager.is_superuser = True
    manager.save()
    job = JobFactory()

    transition_job(job, "triage", by=manager, note="  Checked with the resident ", public=True)

    event = JobEvent.objects.get(job=job)
    assert (event.actor, event.actor_name, event.note, event.is_public) == (
        manager,
        "Morgan Lee",
        "Checked with the resident",
        True,
    )
