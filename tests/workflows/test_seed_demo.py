"""The demo loader: reference data always, demo repairs when there are homes, and safe to run twice."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from repairs.models import Job, JobState, Report, SorCode, WorkTeam
from tests.properties.factories import CommunalAreaFactory, PropertyFactory

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
