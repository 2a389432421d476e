"""An appointment that ends without a visit sends the job back to be booked; a contractor's visit date
schedules the job; public events say what happened to the appointment."""

from __future__ import annotations

import datetime

import pytest

from repairs.models import JobState
from scheduling.booking import (
    book_appointment,
    cancel_appointment,
    record_contractor_visit,
    reschedule_appointment,
    slots_for_job,
)
from scheduling.models import Appointment, AppointmentStatus, CalendarBooking, SchedulerKind
from scheduling.port import LONDON, SchedulerError, Slot
from scheduling.timeline import visit_in_words
from tests.repairs.factories import ReportFactory, TradeFactory, WorkTeamFactory
from tests.scheduling.conftest import next_monday
from tests.scheduling.factories import ConnectionFactory, RoutingRuleFactory, builtin_team
from tests.workflows.factories import UserFactory
from workflows.services import transition_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed():
    team = builtin_team(trade_code="PL", operatives=1)
    RoutingRuleFactory(trade=TradeFactory(code="PL"), connection=ConnectionFactory(), team=team)
    return team


def new_job():
    return ReportFactory(job__trade=TradeFactory(code="PL"), job__size="L").job


def booked(job, index: int = 0) -> Appointment:
    slot = slots_for_job(job=job, start=next_monday()).slots[index]
    appointment = book_appointment(job=job, slot=slot)
    job.refresh_from_db()
    return appointment


def staff():
    return UserFactory(is_superuser=True)


def test_visit_in_words_reads_as_a_resident_would_say_it():
    start = datetime.datetime(2026, 3, 3, 8, tzinfo=LONDON)
    assert visit_in_words(start, start.replace(hour=12)) == "Tuesday 3 March 2026, morning (8am to 12pm)"
    assert visit_in_words(start, start.replace(hour=10, minute=30)) == "Tuesday 3 March 2026, 8am to 10:30am"


def test_a_booking_is_a_public_event_with_the_visit_in_words(routed):
    job = new_job()
    appointment = booked(job)
    event = job.events.get(action="appointment_booked")
    assert event.is_public
    assert event.public_note == visit_in_words(appointment.starts_at, appointment.ends_at)
    assert job.state == JobState.SCHEDULED


def test_a_resident_cancelling_sends_the_job_back_to_be_booked(routed):
    job = new_job()
    appointment = booked(job)
    cancel_appointment(appointment=appointment)
    job.refresh_from_db()
    assert job.state == JobState.TRIAGED
    assert job.events.get(action="appointment_cancelled").is_public
    again = booked(job, index=1)
    assert again.pk != appointment.pk and again.status == AppointmentStatus.BOOKED
    job.refresh_from_db()
    assert job.state == JobState.SCHEDULED


def test_staff_cancelling_is_recorded_as_theirs(routed):
    job = new_job()
    person = staff()
    cancel_appointment(appointment=booked(job), by=person, note="Resident asked by phone")
    event = job.events.get(action="appointment_cancelled")
    assert event.actor == person and event.note == "Resident asked by phone"


def test_no_access_recorded_by_staff_releases_the_visit_so_a_new_one_can_be_booked(
    routed, django_capture_on_commit_callbacks
):
    job = new_job()
    first = booked(job)
    with django_capture_on_commit_callbacks(execute=True):
        transition_job(job, "record_no_access", by=staff())
    first.refresh_from_db()
    assert first.status == AppointmentStatus.NO_ACCESS
    assert not CalendarBooking.objects.filter(is_cancelled=False).exists()
    again = book_appointment(job=job, slot=slots_for_job(job=job, start=next_monday()).slots[1])
    assert again.pk != first.pk and again.starts_at != first.starts_at
    job.refresh_from_db()
    assert job.state == JobState.SCHEDULED


def test_a_hold_frees_the_visit_and_resuming_sends_the_job_back_to_be_booked(
    routed, django_capture_on_commit_callbacks
):
    job = new_job()
    appointment = booked(job)
    with django_capture_on_commit_callbacks(execute=True):
        job = transition_job(job, "hold", by=staff(), note="Waiting for parts")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        transition_job(job, "resume", by=staff())
    job.refresh_from_db()
    assert job.state == JobState.TRIAGED


def test_cancelling_the_job_does_not_tell_the_resident_a_new_visit_is_coming(
    routed, django_capture_on_commit_callbacks
):
    job = new_job()
    booked(job)
    with django_capture_on_commit_callbacks(execute=True):
        transition_job(job, "cancel", by=staff(), note="Resident fixed it")
    assert not job.events.get(action="appointment_cancelled").is_public


def test_moving_an_appointment_frees_the_old_slot_and_says_so(routed):
    job = new_job()
    appointment = booked(job)
    old_start = appointment.starts_at
    new_slot = slots_for_job(job=new_job(), start=next_monday()).slots[2]
    moved = reschedule_appointment(appointment=appointment, slot=new_slot)
    assert (moved.starts_at, moved.ends_at) == (new_slot.start, new_slot.end)
    assert CalendarBooking.objects.get(is_cancelled=False).starts_at == new_slot.start
    assert old_start in {s.start for s in slots_for_job(job=new_job(), start=next_monday()).slots}
    event = job.events.get(action="appointment_moved")
    assert event.is_public and event.public_note == visit_in_words(new_slot.start, new_slot.end)


def test_only_a_booked_appointment_can_be_moved(routed):
    job = new_job()
    appointment = booked(job)
    slot = Slot.from_key(appointment_key(appointment))
    cancel_appointment(appointment=appointment)
    appointment.refresh_from_db()
    with pytest.raises(SchedulerError, match="Only a booked appointment"):
        reschedule_appointment(appointment=appointment, slot=slot)


def appointment_key(appointment) -> str:
    return Slot(appointment.starts_at, appointment.ends_at).key


def test_a_slot_key_round_trips_and_a_tampered_one_is_refused():
    monday = next_monday()
    slot = Slot(monday.replace(hour=8), monday.replace(hour=12))
    assert Slot.from_key(slot.key) == slot
    for bad in ("", "nonsense", slot.key.split("/")[0], f"{monday.replace(tzinfo=None).isoformat()}/x"):
        with pytest.raises(ValueError):
            Slot.from_key(bad)


# --- contractor hand-off ------------------------------------------------------------------------


@pytest.fixture
def contractor_job():
    RoutingRuleFactory(
        trade=TradeFactory(code="PL"),
        connection=ConnectionFactory(kind=SchedulerKind.CONTRACTOR),
        team=WorkTeamFactory(name="Acme Repairs Ltd", kind="contractor"),
        residents_book_online=False,
        contact_within_days=3,
    )
    return new_job()


def test_a_hand_off_tells_the_resident_by_when_the_contractor_calls(contractor_job):
    appointment = book_appointment(job=contractor_job, slot=None)
    event = contractor_job.events.get(action="contractor_will_contact")
    assert event.is_public
    assert event.public_note and event.public_note in appointment.message
    assert "Acme" not in event.public_note
    contractor_job.refresh_from_db()
    assert contractor_job.state == JobState.REPORTED


def test_the_contractors_visit_date_schedules_the_job(contractor_job):
    appointment = book_appointment(job=contractor_job, slot=None)
    monday = next_monday()
    visit = Slot(monday.replace(hour=9), monday.replace(hour=11))
    person = staff()
    record_contractor_visit(appointment=appointment, slot=visit, by=person)
    appointment.refresh_from_db()
    contractor_job.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED and appointment.starts_at == visit.start
    assert contractor_job.state == JobState.SCHEDULED
    event = contractor_job.events.get(action="appointment_booked")
    assert event.actor == person and event.public_note.endswith("9am to 11am")
