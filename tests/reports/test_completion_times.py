"""The lifecycle records when work was completed and closed, so reports need not read the event log."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from repairs.models import Job, JobState
from tests.repairs.factories import JobFactory
from workflows.models import JobEvent
from workflows.services import transition_job

pytestmark = pytest.mark.django_db


def finished_job() -> Job:
    job = JobFactory()
    for action in ["triage", "schedule", "start_work", "complete"]:
        job = transition_job(job, action, by=None)
    return job


def test_completing_a_job_records_when_the_work_was_done() -> None:
    before = timezone.now()
    job = finished_job()
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED
    assert before <= job.completed_at <= timezone.now()
    assert job.closed_at is None


def test_closing_records_the_time_and_reopening_clears_it_but_keeps_the_completion() -> None:
    job = finished_job()
    completed = Job.objects.get(pk=job.pk).completed_at
    job = transition_job(job, "close", by=None)
    assert Job.objects.get(pk=job.pk).closed_at is not None
    job = transition_job(job, "reopen", by=None, note="Closed before the cost was checked")
    reopened = Job.objects.get(pk=job.pk)
    assert reopened.closed_at is None
    assert reopened.completed_at == completed
    transition_job(job, "close", by=None)
    assert Job.objects.get(pk=job.pk).closed_at > completed


def test_the_migration_fills_in_completion_and_closure_from_the_events() -> None:
    job = finished_job()
    job = transition_job(job, "close", by=None)
    job = transition_job(job, "reopen", by=None, note="In error")
    job = transition_job(job, "close", by=None)
    open_job = JobFactory()
    complete = JobEvent.objects.get(job=job, action="complete")
    last_close = JobEvent.objects.filter(job=job, action="close").order_by("-occurred_at").first()
    Job.objects.update(completed_at=None, closed_at=None)

    migration = importlib.import_module("repairs.migrations.0008_backfill_completed_and_closed_at")
    migration.backfill(apps, None)

    job.refresh_from_db()
    open_job.refresh_from_db()
    assert (job.completed_at, job.closed_at) == (complete.occurred_at, last_close.occurred_at)
    assert (open_job.completed_at, open_job.closed_at) == (None, None)
