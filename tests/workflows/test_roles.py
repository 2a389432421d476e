"""Each staff role may make exactly the transitions its group grants; the rest are refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from repairs.models import Job
from tests.repairs.factories import JobFactory
from workflows.errors import TransitionNotPermitted
from workflows.models import JobEvent
from workflows.services import transition_job

from .factories import user_in_role
from .lifecycle_table import ALLOWED, ROLE_ACTIONS, ROLE_PAIRS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "action"), ROLE_PAIRS)
def test_role_may_make_only_the_transitions_it_is_granted(role, action):
    user = user_in_role(role)
    source, target = ALLOWED[action][0][0], ALLOWED[action][1]
    job = JobFactory(state=source)

    if action in ROLE_ACTIONS[role]:
        transition_job(job, action, by=user, note="Reason given")
        assert Job.objects.get(pk=job.pk).state == target
        assert JobEvent.objects.get(job=job).actor == user
    else:
        with pytest.raises(TransitionNotPermitted, match="You do not have permission"):
            transition_job(job, action, by=user, note="Reason given")
        assert Job.objects.get(pk=job.pk).state == source
        assert not JobEvent.objects.filter(job=job).exists()


def test_user_with_no_role_may_make_no_transition(django_user_model):
    user = django_user_model.objects.create(username="nobody")
    job = JobFactory()

    with pytest.raises(TransitionNotPermitted):
        transition_job(job, "triage", by=user)


def test_inactive_manager_may_make_no_transition():
    user = user_in_role("Repairs managers", is_active=False)
    job = JobFactory()

    with pytest.raises(TransitionNotPermitted):
        transition_job(job, "triage", by=user)


def test_every_shared_role_exists():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLE_ACTIONS)
