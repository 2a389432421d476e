"""Follow-ons and recalls are new jobs linked to the finished one, so first-time fix can be counted."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from repairs.models import Job, JobKind, JobState
from tests.properties.factories import PropertyFactory
from tests.repairs.factories import TradeFactory
from tests.repairs.reporting import report
from workflows.errors import TransitionNotPermitted
from workflows.linked_jobs import create_follow_on, report_recall
from workflows.models import JobEvent, LifecycleSettings
from workflows.services import transition_job
from workflows.timeline import public_timeline

from .factories import user_in_role

pytestmark = pytest.mark.django_db

DONE = ("triage", "schedule", "start_work", "complete")


@pytest.fixture
def finished():
    """A leak in a home, repaired and completed."""
    made = report(
        property=PropertyFactory(), trade=TradeFactory(code="PL"), description="Leak under the sink"
    )
    for action in DONE:
        transition_job(made.job, action, by=None)
    return made


def test_a_follow_on_is_a_new_job_linked_to_the_original(finished):
    operative = user_in_role("Contractors")

    follow_on = create_follow_on(
        finished.job, trade=TradeFactory(code="CA"), description="Refit the kitchen unit", by=operative
    )

    assert (follow_on.kind, follow_on.follows, follow_on.property) == (
        JobKind.FOLLOW_ON,
        finished.job,
        finished.job.property,
    )
    assert follow_on.state == JobState.REPORTED and follow_on.due_at is not None
    assert list(finished.job.follow_ups.all()) == [follow_on]
    assert not follow_on.is_recall


def test_the_original_reporter_is_told_more_work_is_needed_and_sees_its_visits(finished):
    follow_on = create_follow_on(finished.job, trade=TradeFactory(code="CA"), description="Refit", by=None)
    transition_job(follow_on, "triage", by=None)
    transition_job(follow_on, "schedule", by=None)
    transition_job(follow_on, "start_work", by=None)

    titles = [entry.title for entry in public_timeline(finished.job)]

    assert titles[-2:] == ["More work needed", "Work started"]


def test_a_follow_on_waits_for_the_job_to_be_completed():
    made = report(property=PropertyFactory())

    with pytest.raises(ValidationError, match="once it is completed"):
        create_follow_on(made.job, trade=TradeFactory(code="CA"), description="More", by=None)

    assert Job.objects.count() == 1


def test_someone_who_neither_checks_nor_finishes_work_cannot_raise_a_follow_on(finished):
    with pytest.raises(TransitionNotPermitted):
        create_follow_on(
            finished.job,
            trade=TradeFactory(code="CA"),
            description="More",
            by=user_in_role("Content editors"),
        )


def test_a_recall_from_a_residents_report_is_linked_flagged_and_followed_by_them(finished):
    recall = report_recall(finished, description="It is leaking again")

    assert (recall.kind, recall.follows, recall.is_recall) == (JobKind.RECALL, finished.job, True)
    assert list(Job.objects.recalls()) == [recall]
    [new_report] = recall.reports.all()
    assert new_report.reference != finished.reference
    assert (new_report.contact_email, new_report.description) == (
        finished.contact_email,
        "It is leaking again",
    )
    assert public_timeline(finished.job)[-1].title == "Reported as not fixed"


def test_staff_can_raise_a_recall_from_the_job(finished):
    recall = report_recall(finished.job, description="Came back", by=user_in_role("Repairs managers"))

    assert recall.follows == finished.job and not recall.reports.exists()


def test_a_recall_outside_the_period_is_a_new_repair(finished):
    completed = JobEvent.objects.filter(job=finished.job, action="complete")
    completed.update(occurred_at=timezone.now() - datetime.timedelta(days=31))

    with pytest.raises(ValidationError, match="more than 30 days ago: report it as a new repair"):
        report_recall(finished, description="Leaking again")

    assert not Job.objects.recalls().exists()


def test_the_recall_period_is_edited_in_the_admin_settings(finished):
    JobEvent.objects.filter(job=finished.job, action="complete").update(
        occurred_at=timezone.now() - datetime.timedelta(days=31)
    )
    settings = LifecycleSettings.load()
    settings.recall_days = 60
    settings.save()

    assert report_recall(finished, description="Leaking again").is_recall


def test_an_unfinished_repair_cannot_be_recalled():
    made = report(property=PropertyFactory())

    with pytest.raises(ValidationError, match="not finished yet"):
        report_recall(made, description="Still leaking")


def test_a_closed_job_within_the_period_can_be_recalled(finished):
    transition_job(finished.job, "close", by=None)

    assert report_recall(finished.job, description="Leaking again").follows == finished.job
