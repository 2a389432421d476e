"""`job_transitioned` is sent once the change is committed, never for a change that was rolled back."""

from __future__ import annotations

import pytest
from django.db import transaction

from repairs.models import JobState as S
from tests.repairs.factories import JobFactory
from workflows.events import job_transitioned
from workflows.models import JobEvent
from workflows.services import record_event, transition_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    job_transitioned.connect(receiver, dispatch_uid="test-heard")
    yield calls
    job_transitioned.disconnect(dispatch_uid="test-heard")


def test_signal_waits_for_the_commit(heard, django_capture_on_commit_callbacks):
    job = JobFactory()

    with django_capture_on_commit_callbacks() as callbacks:
        transition_job(job, "triage", by=None)
        assert heard == []

    for callback in callbacks:
        callback()
    event = JobEvent.objects.get(job=job)
    assert len(heard) == 1
    assert {key: heard[0][key] for key in ("job_id", "event_id", "action", "source", "target")} == {
        "job_id": job.pk,
        "event_id": event.pk,
        "action": "triage",
        "source": S.REPORTED,
        "target": S.TRIAGED,
    }


def test_rolled_back_transition_is_never_announced(heard, django_capture_on_commit_callbacks):
    job = JobFactory()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        transition_job(job, "triage", by=None)
        raise RuntimeError("the caller's own work failed")

    assert heard == []
    assert not JobEvent.objects.filter(job=job).exists()
    job.refresh_from_db()
    assert job.state == S.REPORTED


def test_failing_receiver_does_not_stop_the_others(heard, django_capture_on_commit_callbacks, caplog):
    def broken(sender, **kwargs):
        raise ValueError("receiver bug")

    job_transitioned.connect(broken, dispatch_uid="test-broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            transition_job(JobFactory(), "triage", by=None)
    finally:
        job_transitioned.disconnect(dispatch_uid="test-broken")

    assert len(heard) == 1
    assert "receiver" in caplog.text and "failed" in caplog.text


def test_an_event_without_a_change_of_state_keeps_the_state_and_stays_quiet(
    heard, django_capture_on_commit_callbacks
):
    job = JobFactory()

    with django_capture_on_commit_callbacks(execute=True):
        event = record_event(
            job, "appointment_moved", note="moved by the planner", public=True, public_note="Tuesday morning"
        )

    job.refresh_from_db()
    assert job.state == S.REPORTED
    assert (event.from_state, event.to_state) == (S.REPORTED, S.REPORTED)
    assert (event.note, event.public_note, event.is_public) == (
        "moved by the planner",
        "Tuesday morning",
        True,
    )
    assert heard == []


def test_a_transition_keeps_its_public_note_apart_from_the_staff_note():
    job = JobFactory(state=S.TRIAGED)

    transition_job(
        job, "hold", by=None, note="waiting on the leaseholder", public=True, public_note="Waiting for parts"
    )

    event = JobEvent.objects.get(job=job, action="hold")
    assert (event.note, event.public_note) == ("waiting on the leaseholder", "Waiting for parts")
