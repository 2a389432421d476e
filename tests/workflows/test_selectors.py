"""What the back office offers: the actions allowed now, narrowed to what the user may do."""

from __future__ import annotations

import pytest

from repairs.models import JobState as S
from tests.repairs.factories import EmergencyPriorityFactory, JobFactory
from workflows.selectors import available_actions, job_history
from workflows.services import transition_job

from .factories import user_in_role

pytestmark = pytest.mark.django_db


def names(actions) -> set[str]:
    return {action.name for action in actions}


def test_manager_is_offered_every_action_allowed_from_reported():
    job = JobFactory()

    assert names(available_actions(job, user_in_role("Repairs managers"))) == {
        "triage",
        "schedule",
        "cancel",
        "reject",
    }


def test_emergency_is_also_offered_start_work_from_reported():
    job = JobFactory(priority=EmergencyPriorityFactory())

    assert "start_work" in names(available_actions(job, None))


def test_contractor_is_offered_only_their_own_actions():
    job = JobFactory(state=S.SCHEDULED)

    assert names(available_actions(job, user_in_role("Contractors"))) == {"start_work", "record_no_access"}


def test_content_editor_is_offered_nothing():
    assert available_actions(JobFactory(), user_in_role("Content editors")) == []


def test_actions_that_need_a_reason_say_so():
    actions = {action.name: action for action in available_actions(JobFactory(), None)}

    assert actions["cancel"].needs_note and not actions["triage"].needs_note
    assert actions["cancel"].label == "Cancel"


def test_public_history_leaves_out_internal_notes():
    job = JobFactory()
    transition_job(job, "triage", by=None, note="Internal check", public=False)
    transition_job(job, "schedule", by=None, note="Your appointment is booked", public=True)

    assert [event.note for event in job_history(job)] == ["Internal check", "Your appointment is booked"]
    assert [event.note for event in job_history(job, public_only=True)] == ["Your appointment is booked"]


def test_hold_cancel_and_reject_ask_for_a_reason_residents_read():
    actions = {action.name: action for action in available_actions(JobFactory(state="triaged"), None)}

    assert {name for name, action in actions.items() if action.asks_public_reason} == {
        "hold",
        "cancel",
        "reject",
    }
