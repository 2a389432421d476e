"""A job closed in error is reopened to completed, with a reason, by managers and administrators only."""

from __future__ import annotations

import pytest

from repairs.models import Job, JobState
from tests.repairs.factories import JobFactory
from workflows.errors import TransitionNotAllowed
from workflows.services import transition_job

from .factories import user_in_role

pytestmark = pytest.mark.django_db


def test_reopening_a_closed_job_returns_it_to_completed_and_says_why():
    job = JobFactory(state=JobState.CLOSED)
    manager = user_in_role("Repairs managers")

    with pytest.raises(TransitionNotAllowed, match="say why"):
        transition_job(job, "reopen", by=manager)
    transition_job(job, "reopen", by=manager, note="Closed before the invoice was checked")

    assert Job.objects.get(pk=job.pk).state == JobState.COMPLETED


def test_only_a_closed_job_is_reopened():
    job = JobFactory(state=JobState.CANCELLED)

    with pytest.raises(TransitionNotAllowed, match="not possible"):
        transition_job(job, "reopen", by=None, note="Oops")
