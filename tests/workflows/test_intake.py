"""Reports arriving at and leaving a job: attention for jobs stuck too long, and withdrawn reports."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from repairs.models import Job, JobState
from tests.properties.factories import CommunalAreaFactory, PropertyFactory
from tests.repairs.reporting import report
from workflows.intake import withdraw_report
from workflows.models import JobEvent, LifecycleSettings
from workflows.selectors import jobs_needing_attention
from workflows.services import acknowledge_attention, transition_job
from workflows.timeline import public_timeline

from .factories import user_in_role

pytestmark = pytest.mark.django_db


def held_for(job: Job, days: int) -> None:
    transition_job(job, "triage", by=None)
    transition_job(job, "hold", by=None, note="Waiting on the lift maker")
    JobEvent.objects.filter(job=job, action="hold").update(
        occurred_at=timezone.now() - datetime.timedelta(days=days)
    )


@pytest.fixture
def lift():
    return CommunalAreaFactory(name="Lift")


def test_a_new_report_on_a_job_held_too_long_flags_it_for_staff(lift):
    first = report(communal_area=lift, contact_name="Ana")
    held_for(first.job, days=15)

    later = report(communal_area=lift, contact_name="Ben")

    assert later.job == first.job
    assert list(jobs_needing_attention()) == [first.job]
    job = Job.objects.get(pk=first.job.pk)
    assert "on hold for 15 days" in job.attention_reason
    assert JobEvent.objects.filter(job=job, action="needs_attention", is_public=False).count() == 1


def test_a_recent_hold_takes_new_reports_quietly(lift):
    first = report(communal_area=lift, contact_name="Ana")
    held_for(first.job, days=3)

    report(communal_area=lift, contact_name="Ben")

    assert not jobs_needing_attention().exists()


def test_the_attention_period_is_a_setting(lift):
    settings = LifecycleSettings.load()
    settings.attention_after_days = 2
    settings.save()
    first = report(communal_area=lift, contact_name="Ana")
    held_for(first.job, days=3)

    report(communal_area=lift, contact_name="Ben")

    assert jobs_needing_attention().exists()


def test_the_flag_clears_when_staff_act_or_acknowledge_it(lift):
    first = report(communal_area=lift, contact_name="Ana")
    held_for(first.job, days=20)
    report(communal_area=lift, contact_name="Ben")
    report(communal_area=lift, contact_name="Cal")
    manager = user_in_role("Repairs managers")

    acknowledge_attention(first.job, by=manager, note="Still waiting for the part")
    assert not jobs_needing_attention().exists()

    report(communal_area=lift, contact_name="Dee")
    assert jobs_needing_attention().exists()
    transition_job(Job.objects.get(pk=first.job.pk), "resume", by=manager)
    assert not jobs_needing_attention().exists()


def test_withdrawing_one_of_several_reports_leaves_the_communal_job_alone(lift):
    ana, ben = report(communal_area=lift, contact_name="Ana"), report(communal_area=lift, contact_name="Ben")

    withdraw_report(ana)

    job = Job.objects.get(pk=ana.job.pk)
    assert job.state == JobState.REPORTED
    assert list(job.reports.live()) == [ben]
    assert JobEvent.objects.filter(job=job, action="report_withdrawn", is_public=False).exists()


def test_withdrawing_the_last_live_report_cancels_a_job_not_started(lift):
    ana, ben = report(communal_area=lift, contact_name="Ana"), report(communal_area=lift, contact_name="Ben")
    withdraw_report(ana)

    withdraw_report(ben)

    assert Job.objects.get(pk=ana.job.pk).state == JobState.CANCELLED
    assert (
        public_timeline(ana.job)[-1].detail == "The repair was reported by mistake, so it has been cancelled."
    )


def test_withdrawing_after_work_started_flags_the_job_instead():
    made = report(property=PropertyFactory())
    for action in ("triage", "schedule", "start_work"):
        transition_job(made.job, action, by=None)

    withdraw_report(made)

    assert Job.objects.get(pk=made.job.pk).state == JobState.IN_PROGRESS
    assert list(jobs_needing_attention()) == [made.job]


def test_withdrawing_twice_changes_nothing_more(lift):
    made = report(communal_area=lift)
    first = withdraw_report(made).withdrawn_at

    assert withdraw_report(made).withdrawn_at == first
    assert JobEvent.objects.filter(job=made.job, action="cancel").count() == 1


def test_a_finished_repair_cannot_be_withdrawn():
    made = report(property=PropertyFactory())
    for action in ("triage", "schedule", "start_work", "complete"):
        transition_job(made.job, action, by=None)

    with pytest.raises(ValidationError, match="already completed"):
        withdraw_report(made)

    made.refresh_from_db()
    assert made.withdrawn_at is None


def test_a_withdrawn_reporter_who_reports_again_makes_a_new_report(lift):
    ana, _ = report(communal_area=lift, contact_name="Ana"), report(communal_area=lift, contact_name="Ben")
    withdraw_report(ana)

    again = report(communal_area=lift, contact_name="Ana")

    assert again.pk != ana.pk and not again.already_reported
