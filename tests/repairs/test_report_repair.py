"""Reporting a repair in a home: one report, one new job, due by its priority's target."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from repairs.models import Channel, Job, JobState, Report
from tests.properties.factories import CommunalAreaFactory, PropertyFactory
from tests.repairs.factories import EmergencyPriorityFactory, JobFactory, SorCodeFactory, TradeFactory

from .reporting import report

pytestmark = pytest.mark.django_db


def test_report_in_a_home_makes_a_new_job_with_what_was_said():
    home = PropertyFactory()
    sor = SorCodeFactory(trade=TradeFactory(code="PL"))

    made = report(
        property=home,
        trade=TradeFactory(code="PL"),
        sor_code=sor,
        size="M",
        description="  Kitchen tap drips  ",
        diagnosis=[{"question": "Where?", "answer": "Kitchen"}],
        channel=Channel.PHONE,
    )

    job = made.job
    assert (job.property, job.communal_area, job.trade.code, job.sor_code, job.size, job.state) == (
        home,
        None,
        "PL",
        sor,
        "M",
        JobState.REPORTED,
    )
    assert (made.description, made.reporter_property, made.channel, made.joined_existing_job) == (
        "Kitchen tap drips",
        home,
        Channel.PHONE,
        False,
    )
    assert made.diagnosis == [{"question": "Where?", "answer": "Kitchen"}]


def test_second_report_in_the_same_home_makes_its_own_job():
    home = PropertyFactory()

    first = report(property=home, trade=TradeFactory(code="PL"))
    second = report(property=home, trade=TradeFactory(code="PL"))

    assert first.job != second.job


def test_new_job_is_due_on_creation():
    made = report(property=PropertyFactory(), priority=EmergencyPriorityFactory())

    elapsed = made.job.due_at - made.job.created_at
    assert datetime.timedelta(hours=23, minutes=59) < elapsed <= datetime.timedelta(hours=24)


def test_job_created_another_way_is_also_due_on_creation():
    job = JobFactory(priority=EmergencyPriorityFactory())

    assert job.due_at is not None


@pytest.mark.parametrize(
    "where",
    [{}, {"property": "home", "communal_area": "area"}],
    ids=["neither", "both"],
)
def test_report_must_be_for_a_home_or_a_communal_area(where):
    places = {"home": PropertyFactory, "area": CommunalAreaFactory}
    kwargs = {key: places[value]() for key, value in where.items()}

    with pytest.raises(ValidationError, match="exactly one"):
        report(**kwargs)

    assert not Job.objects.exists()


def test_blank_description_is_refused_and_nothing_is_saved():
    with pytest.raises(ValidationError, match="Describe the problem"):
        report(property=PropertyFactory(), description="   ")

    assert not Report.objects.exists()
    assert not Job.objects.exists()


def test_staff_member_who_raised_it_is_recorded(django_user_model):
    agent = django_user_model.objects.create(username="agent")

    made = report(property=PropertyFactory(), by=agent, channel=Channel.STAFF)

    assert made.created_by == agent


def test_urgent_priority_is_more_urgent_than_routine_and_emergency_beats_both():
    from repairs.models import Priority

    by_code = {p.code: p for p in Priority.objects.all()}

    assert by_code["EM"].is_more_urgent_than(by_code["UR"])
    assert by_code["UR"].is_more_urgent_than(by_code["DMI"])
    assert by_code["DMI"].is_more_urgent_than(by_code["RO"])
    assert not by_code["RO"].is_more_urgent_than(by_code["RO"])
    assert not by_code["UR"].is_more_urgent_than(by_code["DME"])
