"""The demo loader: reference data always, demo repairs when there are homes, and safe to run twice."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from repairs.models import Job, JobState, Report, SorCode, WorkTeam
from scheduling.selectors import live_appointment
from tests.properties.factories import CommunalAreaFactory, PropertyFactory
from workflows.timeline import public_timeline

pytestmark = pytest.mark.django_db


def test_empty_property_register_still_gets_codes_and_teams(capsys):
    call_command("seed_repairs_demo")

    assert SorCode.objects.filter(code__startswith="DEMO-").count() == 17
    assert WorkTeam.objects.count() == 5
    assert not Job.objects.exists()
    assert "No homes in the property register yet" in capsys.readouterr().out


def test_demo_repairs_cover_several_states_and_one_communal_job():
    PropertyFactory.create_batch(5)
    CommunalAreaFactory()

    call_command("seed_repairs_demo")

    states = set(Job.objects.values_list("state", flat=True))
    assert {JobState.REPORTED, JobState.IN_PROGRESS, JobState.SCHEDULED, JobState.CLOSED} <= states
    communal = Job.objects.get(communal_area__isnull=False)
    assert communal.reports.count() == 3
    assert not Job.objects.filter(assignee__isnull=True).exists()


def test_running_twice_adds_nothing_new():
    PropertyFactory.create_batch(5)
    CommunalAreaFactory()
    call_command("seed_repairs_demo")
    counts = (Job.objects.count(), Report.objects.count(), SorCode.objects.count(), WorkTeam.objects.count())

    call_command("seed_repairs_demo")

    assert (
        Job.objects.count(),
        Report.objects.count(),
        SorCode.objects.count(),
        WorkTeam.objects.count(),
    ) == counts


def test_each_demo_job_has_what_its_state_implies():
    PropertyFactory.create_batch(5)
    CommunalAreaFactory()

    call_command("seed_repairs_demo")

    for job in Job.objects.all():
        titles = [entry.title for entry in public_timeline(job)]
        assert titles[0] == "Repair reported", job
        if job.state in (JobState.SCHEDULED, JobState.CLOSED):
            assert live_appointment(job) is not None, job
            assert "Appointment booked" in titles
        if job.state == JobState.ON_HOLD:
            assert public_timeline(job)[-1].detail == "We are arranging a damp and mould survey first."
    communal = Job.objects.get(communal_area__isnull=False)
    assert [e.title for e in public_timeline(communal)][:3] == [
        "Repair reported",
        "Reported by another resident",
        "Reported by another resident",
    ]
    assert JobState.ON_HOLD in set(Job.objects.values_list("state", flat=True))
