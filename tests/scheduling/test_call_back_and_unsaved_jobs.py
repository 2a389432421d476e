"""A home with a cautionary alert is never booked online blind; slots are offered before the report is
saved and checked again at booking; the operative's job description carries the warnings."""

from __future__ import annotations

import pytest

from properties.models import AlertKind, AsbestosRisk
from repairs.models import Job, JobState
from scheduling.booking import book_appointment, slots_for_job
from scheduling.job_description import job_spec
from scheduling.models import AppointmentStatus, NeedsBooking, SchedulerKind
from scheduling.port import SlotUnavailable
from scheduling.routing import CALL_BACK_REASON, NotBookableOnline
from tests.properties.factories import AlertFactory, AsbestosRecordFactory, PropertyFactory
from tests.repairs.factories import (
    EmergencyPriorityFactory,
    JobFactory,
    PriorityFactory,
    ReportFactory,
    TradeFactory,
)
from tests.scheduling.conftest import next_monday
from tests.scheduling.factories import ConnectionFactory, RoutingRuleFactory, builtin_team
from tests.workflows.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed():
    team = builtin_team(trade_code="PL", operatives=1)
    RoutingRuleFactory(trade=TradeFactory(code="PL"), connection=ConnectionFactory(), team=team)


def job_at(home, **kwargs):
    return ReportFactory(job__property=home, job__trade=TradeFactory(code="PL"), **kwargs).job


def test_a_home_with_a_cautionary_alert_is_offered_no_slots(routed):
    home = PropertyFactory()
    AlertFactory(property=home, kind=AlertKind.CAUTIONARY, description="Aggressive dog")
    with pytest.raises(NotBookableOnline) as refused:
        slots_for_job(job=job_at(home), start=next_monday())
    assert refused.value.reason == "call_back"
    assert refused.value.message == "We will call you to arrange a visit."
    assert "dog" not in refused.value.message.lower()


def test_a_resident_booking_for_such_a_home_lands_in_the_call_back_queue(routed, client):
    home = PropertyFactory()
    AlertFactory(property=home, kind=AlertKind.VISIT_IN_PAIRS)
    job = job_at(home)
    slot = slots_for_job(job=job_at(PropertyFactory()), start=next_monday()).slots[0]
    with pytest.raises(NotBookableOnline) as refused:
        book_appointment(job=job, slot=slot)
    assert refused.value.reason == "call_back"
    job.refresh_from_db()
    assert job.reports.count() == 1 and job.state == JobState.REPORTED
    entry = NeedsBooking.objects.get(job=job, resolved_at__isnull=True)
    assert entry.reason == CALL_BACK_REASON and entry.retryable is False
    client.force_login(UserFactory(is_superuser=True))
    page = client.get("/admin/needs_booking/")
    assert page.status_code == 200 and CALL_BACK_REASON.encode() in page.content


def test_staff_may_book_such_a_home_after_calling(routed):
    home = PropertyFactory()
    AlertFactory(property=home, kind=AlertKind.CAUTIONARY)
    job = job_at(home)
    slot = slots_for_job(job=job_at(PropertyFactory()), start=next_monday()).slots[0]
    appointment = book_appointment(job=job, slot=slot, by=UserFactory(is_superuser=True))
    assert appointment.status == AppointmentStatus.BOOKED


def test_an_alert_that_does_not_block_and_an_ended_one_leave_booking_online(routed):
    import datetime

    home = PropertyFactory()
    AlertFactory(property=home, kind=AlertKind.ACCESS)
    AlertFactory(property=home, kind=AlertKind.CAUTIONARY, end_date=datetime.date(2020, 1, 1))
    assert slots_for_job(job=job_at(home), start=next_monday()).slots


def test_warnings_reach_the_operative_through_the_job_description(routed):
    home = PropertyFactory()
    AlertFactory(property=home, kind=AlertKind.CAUTIONARY, description="Visit with a colleague")
    AsbestosRecordFactory(property=home, location="Kitchen ceiling", material="Artex", risk=AsbestosRisk.HIGH)
    AsbestosRecordFactory(property=home, location="Loft", risk=AsbestosRisk.NONE)
    spec = job_spec(job_at(home))
    assert spec.warnings == (
        "Cautionary contact: Visit with a colleague",
        "Asbestos (high risk): Kitchen ceiling, Artex",
    )


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ("emergency", "emergency"),
        ("no_rule", "no_rule"),
        ("contractor", "contractor_arranges"),
        ("not_online", "not_online"),
    ],
)
def test_every_refusal_says_why_in_a_reason(setup, reason):
    trade = TradeFactory(code="PL")
    priority = EmergencyPriorityFactory() if setup == "emergency" else PriorityFactory()
    if setup in ("contractor", "not_online", "emergency"):
        kind = SchedulerKind.CONTRACTOR if setup == "contractor" else SchedulerKind.BUILTIN
        RoutingRuleFactory(
            trade=trade, connection=ConnectionFactory(kind=kind), residents_book_online=setup == "emergency"
        )
    with pytest.raises(NotBookableOnline) as refused:
        slots_for_job(job=JobFactory(trade=trade, priority=priority))
    assert refused.value.reason == reason


def test_slots_are_offered_for_a_job_not_saved_yet(routed):
    home = PropertyFactory()
    unsaved = Job(property=home, trade=TradeFactory(code="PL"), priority=PriorityFactory(), size="L")
    slots = slots_for_job(job=unsaved, start=next_monday()).slots
    assert slots
    assert unsaved.pk is None and not Job.objects.exists()


def test_a_slot_chosen_before_saving_and_taken_meanwhile_asks_for_another_time(routed):
    home = PropertyFactory()
    unsaved = Job(property=home, trade=TradeFactory(code="PL"), priority=PriorityFactory(), size="L")
    chosen = slots_for_job(job=unsaved, start=next_monday()).slots[0]
    book_appointment(job=job_at(PropertyFactory(), job__size="L"), slot=chosen)  # someone else
    job = job_at(home, job__size="L")
    with pytest.raises(SlotUnavailable, match="Please choose another"):
        book_appointment(job=job, slot=chosen)
    job.refresh_from_db()
    assert job.reports.count() == 1 and job.state == JobState.REPORTED
