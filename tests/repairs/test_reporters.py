"""Who reported: their own home and access notes are kept, and one person reporting twice is one report."""

from __future__ import annotations

import pytest

from repairs.models import Job, Report
from tests.properties.factories import CommunalAreaFactory, PropertyFactory
from tests.repairs.factories import EmergencyPriorityFactory
from workflows.models import JobEvent

from .reporting import report

pytestmark = pytest.mark.django_db


def test_a_communal_report_keeps_the_reporters_own_home_and_access_notes():
    home = PropertyFactory()

    made = report(communal_area=CommunalAreaFactory(), reporter_property=home, access_notes="Buzz flat 4")

    made.refresh_from_db()
    assert (made.reporter_property, made.access_notes, made.job.property) == (home, "Buzz flat 4", None)


def test_a_report_in_a_home_is_from_that_home():
    home = PropertyFactory()

    made = report(property=home)

    assert Report.objects.get(pk=made.pk).reporter_property == home


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"contact_email": "Ana@Example.invalid"}, {"contact_email": "ana@example.invalid"}),
        (
            {"contact_email": "", "contact_phone": "07700 900123", "update_preference": "sms"},
            {"contact_email": "", "contact_phone": "+44 7700 900123", "update_preference": "sms"},
        ),
    ],
)
def test_the_same_person_reporting_the_same_job_again_is_one_report(first, second):
    lift = CommunalAreaFactory()
    earlier = report(communal_area=lift, contact_name="Ana", **first)

    again = report(communal_area=lift, contact_name="Ana B", **second)

    assert again.pk == earlier.pk
    assert (again.already_reported, again.joined_existing_job) == (True, True)
    assert Report.objects.count() == 1
    assert not JobEvent.objects.filter(action="neighbour_reported").exists()


def test_a_first_report_is_not_already_reported():
    made = report(communal_area=CommunalAreaFactory())

    assert made.already_reported is False
    assert JobEvent.objects.get(job=made.job).action == "report_received"


def test_a_repeat_that_says_it_is_more_urgent_still_raises_the_job():
    lift = CommunalAreaFactory()
    earlier = report(communal_area=lift, contact_name="Ana")

    report(communal_area=lift, contact_name="Ana", priority=EmergencyPriorityFactory())

    assert Job.objects.get(pk=earlier.job.pk).priority.code == "EM"
    assert Report.objects.count() == 1
