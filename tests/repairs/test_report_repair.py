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


@pytest.mark.parametrize(
    ("home", "message"),
    [
        ({"is_active": False}, "does not repair this home"),
        ({"council_repairs": False}, "does not repair this home"),
    ],
)
def test_home_the_council_does_not_repair_is_refused(home, message):
    with pytest.raises(ValidationError, match=message):
        report(property=PropertyFactory(**home))

    assert not Job.objects.exists()


def test_communal_area_no_longer_on_the_register_is_refused():
    with pytest.raises(ValidationError, match="no longer on the council's register"):
        report(communal_area=CommunalAreaFactory(is_active=False))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"update_preference": "email", "contact_email": ""}, "email address for updates"),
        ({"update_preference": "sms", "contact_phone": ""}, "mobile number for updates"),
        ({"update_preference": "pigeon"}, "Update preference 'pigeon'"),
        ({"channel": "fax"}, "Channel 'fax'"),
        ({"size": "XL"}, "Size 'XL'"),
        ({"contact_name": " "}, "name to contact"),
    ],
)
def test_report_that_could_not_be_acted_on_is_refused_with_a_clear_message(overrides, message):
    with pytest.raises(ValidationError, match=message):
        report(property=PropertyFactory(), **overrides)

    assert not Report.objects.exists()


def test_resident_who_wants_no_updates_needs_no_contact_details():
    made = report(property=PropertyFactory(), update_preference="none", contact_email="")

    assert made.update_preference == "none"
