"""The transitions live on the `JobLifecycle` proxy, and django-fsm-2 still guards saves of the shared row."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_fsm import ConcurrentTransition

from repairs.models import Job
from tests.repairs.factories import JobFactory
from workflows.models import JobLifecycle
from workflows.services import transition_job

from .lifecycle_table import ALLOWED


def transition_names(model) -> set[str]:
    return {t.name for t in model._meta.get_field("state").get_all_transitions(model)}


def test_proxy_carries_every_transition_and_the_job_model_none():
    assert transition_names(JobLifecycle) == set(ALLOWED) | {"merge"}
    assert transition_names(Job) == set()


def test_every_transition_declares_a_workflows_permission():
    transitions = JobLifecycle._meta.get_field("state").get_all_transitions(JobLifecycle)

    assert all(t.permission and t.permission.startswith("workflows.") for t in transitions)


@pytest.mark.django_db
def test_stale_proxy_save_is_refused_by_the_state_filter():
    job = JobFactory()
    stale = JobLifecycle.objects.get(pk=job.pk)
    transition_job(job, "triage", by=None)

    stale.cancel()
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()

    assert Job.objects.get(pk=job.pk).state == "triaged"
