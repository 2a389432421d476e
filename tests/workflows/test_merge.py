"""Merging duplicate jobs: every report moves, references and status links keep working."""

from __future__ import annotations

import pytest

from repairs.models import Job, JobState
from repairs.selectors import report_by_reference, report_by_status_token
from tests.properties.factories import CommunalAreaFactory
from tests.repairs.factories import CommunalJobFactory, TradeFactory
from tests.repairs.reporting import report
from workflows.errors import ConcurrentChange, TransitionNotAllowed, TransitionNotPermitted
from workflows.models import JobEvent
from workflows.services import merge_jobs, transition_job
from workflows.timeline import public_timeline

from .factories import user_in_role

pytestmark = pytest.mark.django_db

# The fixture's two jobs are one lift entered under two names: a merge the rules refuse unless forced.
SAME_LIFT = {"force": True, "note": "Lift and Lifts are the same lift"}


@pytest.fixture
def duplicates():
    """Two jobs for what turns out to be one fault, reported against two names for the same lift."""
    lift, lifts = CommunalAreaFactory(name="Lift"), CommunalAreaFactory(name="Lifts")
    keep = [report(communal_area=lift, contact_name=name) for name in ("Ana", "Ben")]
    drop = [report(communal_area=lifts, contact_name=name) for name in ("Cal", "Dee")]
    assert keep[0].job == keep[1].job and drop[0].job == drop[1].job
    return keep, drop


def test_merge_moves_every_report_and_ends_the_duplicate_merged(duplicates):
    keep, drop = duplicates
    manager = user_in_role("Repairs managers")

    survivor = merge_jobs(drop[0].job, keep[0].job, by=manager, **SAME_LIFT)

    source = Job.objects.get(pk=drop[0].job.pk)
    assert (source.state, source.merged_into) == (JobState.MERGED, survivor)
    assert survivor.reports.count() == 4
    assert not source.reports.exists()


def test_reporters_keep_their_references_and_status_links_after_a_merge(duplicates):
    keep, drop = duplicates
    merge_jobs(drop[0].job, keep[0].job, by=None, **SAME_LIFT)

    for made in drop:
        assert report_by_reference(made.reference).job == keep[0].job
        assert report_by_status_token(made.status_token).job == keep[0].job


def test_merge_is_recorded_on_both_jobs(duplicates):
    keep, drop = duplicates
    manager = user_in_role("Repairs managers")

    merge_jobs(drop[0].job, keep[0].job, by=manager, **SAME_LIFT)

    merged = JobEvent.objects.filter(job=drop[0].job).last()
    absorbed = JobEvent.objects.filter(job=keep[0].job).last()
    assert (merged.action, merged.to_state, merged.actor) == ("merge", JobState.MERGED, manager)
    assert absorbed.action == "merge_in"
    assert "2 report(s) moved" in absorbed.note
    assert "Lift and Lifts are the same lift" in merged.note


def test_jobs_merged_earlier_follow_on_to_the_survivor():
    lift = CommunalAreaFactory()
    first, second, third = (CommunalJobFactory(communal_area=lift) for _ in range(3))
    merge_jobs(first, second, by=None)

    merge_jobs(second, third, by=None)

    assert Job.objects.get(pk=first.pk).merged_into_id == third.pk


def test_report_after_a_merge_joins_the_surviving_job(duplicates):
    keep, drop = duplicates
    merge_jobs(drop[0].job, keep[0].job, by=None, **SAME_LIFT)

    later = report(communal_area=keep[0].job.communal_area)

    assert later.job == keep[0].job


@pytest.mark.parametrize("role", ["Contractors", "Contact-centre agents", "Content editors"])
def test_only_managers_and_administrators_may_merge(duplicates, role):
    keep, drop = duplicates

    with pytest.raises(TransitionNotPermitted):
        merge_jobs(drop[0].job, keep[0].job, by=user_in_role(role), **SAME_LIFT)

    assert Job.objects.get(pk=drop[0].job.pk).state == JobState.REPORTED
    assert drop[0].job.reports.count() == 2


def test_cannot_merge_into_a_closed_job(duplicates):
    keep, drop = duplicates
    target = keep[0].job
    for action in ("triage", "schedule", "start_work", "complete", "close"):
        transition_job(target, action, by=None)

    with pytest.raises(TransitionNotAllowed, match="merge into an open job"):
        merge_jobs(drop[0].job, target, by=None, **SAME_LIFT)

    assert drop[0].job.reports.count() == 2


def test_cannot_merge_a_job_that_has_started(duplicates):
    keep, drop = duplicates
    source = drop[0].job
    for action in ("triage", "schedule", "start_work"):
        transition_job(source, action, by=None)

    with pytest.raises(TransitionNotAllowed, match="is not possible"):
        merge_jobs(source, keep[0].job, by=None, **SAME_LIFT)

    assert source.reports.count() == 2


def test_cannot_merge_a_job_into_itself():
    job = CommunalJobFactory()

    with pytest.raises(TransitionNotAllowed, match="into itself"):
        merge_jobs(job, job, by=None)


def test_merge_from_a_stale_copy_is_refused(duplicates):
    keep, drop = duplicates
    stale = Job.objects.get(pk=drop[0].job.pk)
    transition_job(drop[0].job, "triage", by=None)

    with pytest.raises(ConcurrentChange):
        merge_jobs(stale, keep[0].job, by=None, **SAME_LIFT)


def test_jobs_in_different_places_are_not_merged_unless_forced(duplicates):
    keep, drop = duplicates

    with pytest.raises(TransitionNotAllowed, match="only duplicates of one fault are merged"):
        merge_jobs(drop[0].job, keep[0].job, by=None)

    assert Job.objects.get(pk=drop[0].job.pk).state == JobState.REPORTED
    assert drop[0].job.reports.count() == 2


def test_jobs_for_different_trades_are_not_merged_unless_forced():
    hall = CommunalAreaFactory(name="Entrance hall")
    lights = CommunalJobFactory(communal_area=hall, trade=TradeFactory(code="EL"))
    door = CommunalJobFactory(communal_area=hall, trade=TradeFactory(code="DE"))

    with pytest.raises(TransitionNotAllowed, match="for Door entry and Electrical"):
        merge_jobs(door, lights, by=None)


def test_a_forced_merge_must_say_why(duplicates):
    keep, drop = duplicates

    with pytest.raises(TransitionNotAllowed, match="say in the note why"):
        merge_jobs(drop[0].job, keep[0].job, by=None, force=True)

    assert Job.objects.get(pk=drop[0].job.pk).state == JobState.REPORTED


def test_merged_reporters_are_counted_on_the_survivors_public_timeline(duplicates):
    keep, drop = duplicates

    merge_jobs(drop[0].job, keep[0].job, by=None, **SAME_LIFT)

    last = public_timeline(keep[0].job)[-1]
    assert (last.title, last.detail) == (
        "Reports joined together",
        "This fault has now been reported 4 times.",
    )
