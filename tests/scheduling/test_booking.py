"""Booking through the services: routing, re-checking the slot, and the built-in calendar's last slot."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connections

from repairs.models import JobState
from scheduling.booking import book_appointment, cancel_appointment, slots_for_job
from scheduling.models import Appointment, AppointmentStatus, CalendarBooking, NeedsBooking, SchedulerKind
from scheduling.port import SchedulerError, SlotUnavailable
from tests.repairs.factories import (
    EmergencyPriorityFactory,
    JobFactory,
    ReportFactory,
    TradeFactory,
    WorkTeamFactory,
)
from tests.scheduling.conftest import next_monday
from tests.scheduling.factories import ConnectionFactory, RoutingRuleFactory, builtin_team

TAKEN = "That appointment has just been taken. Please choose another."


def routed_to_builtin(**rule):
    team = builtin_team(trade_code="PL", operatives=1)
    RoutingRuleFactory(
        trade=TradeFactory(code="PL"),
        connection=ConnectionFactory(kind=SchedulerKind.BUILTIN),
        team=team,
        **rule,
    )
    return team


def large_job():
    return ReportFactory(job__size="L", job__trade=TradeFactory(code="PL")).job


@pytest.mark.django_db
def test_booking_a_builtin_slot_schedules_the_job():
    routed_to_builtin()
    job = large_job()
    slot = slots_for_job(job=job, start=next_monday()).slots[0]
    appointment = book_appointment(job=job, slot=slot)
    job.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    assert (appointment.starts_at, appointment.ends_at) == (slot.start, slot.end)
    assert job.state == JobState.SCHEDULED
    assert job.assignee_id is not None


@pytest.mark.django_db
def test_a_slot_taken_meanwhile_gives_a_clear_message_and_keeps_the_report():
    routed_to_builtin()
    first, second = large_job(), large_job()
    slot = slots_for_job(job=first, start=next_monday()).slots[0]
    book_appointment(job=first, slot=slot)
    with pytest.raises(SlotUnavailable, match=re.escape(TAKEN)):
        book_appointment(job=second, slot=slot)
    second.refresh_from_db()
    assert second.state == JobState.REPORTED
    assert second.reports.count() == 1
    assert not Appointment.objects.filter(job=second).exists()


@pytest.mark.django_db
def test_booking_a_booked_job_again_returns_its_appointment():
    routed_to_builtin()
    job = large_job()
    slot = slots_for_job(job=job, start=next_monday()).slots[0]
    assert book_appointment(job=job, slot=slot) == book_appointment(job=job, slot=slot)
    assert CalendarBooking.objects.count() == 1


@pytest.mark.django_db
def test_cancelling_frees_the_builtin_slot():
    routed_to_builtin()
    job = large_job()
    slot = slots_for_job(job=job, start=next_monday()).slots[0]
    cancel_appointment(appointment=book_appointment(job=job, slot=slot))
    assert slot in slots_for_job(job=large_job(), start=next_monday()).slots


@pytest.mark.django_db
def test_contractor_rule_hands_off_and_tells_the_resident_who_calls():
    contractor = WorkTeamFactory(name="Acme Repairs Ltd", kind="contractor")
    RoutingRuleFactory(
        trade=TradeFactory(code="PL"),
        connection=ConnectionFactory(kind=SchedulerKind.CONTRACTOR),
        team=contractor,
        residents_book_online=False,
    )
    job = large_job()
    with pytest.raises(SchedulerError, match="arranged with you directly"):
        slots_for_job(job=job)
    appointment = book_appointment(job=job, slot=None)
    assert appointment.status == AppointmentStatus.WITH_CONTRACTOR
    assert appointment.message.startswith("Acme Repairs Ltd will contact you to arrange a visit by ")


@pytest.mark.django_db
def test_emergencies_are_not_offered_slots():
    routed_to_builtin()
    job = JobFactory(priority=EmergencyPriorityFactory())
    with pytest.raises(SchedulerError, match="call us now"):
        slots_for_job(job=job)


@pytest.mark.django_db
def test_a_job_no_rule_covers_waits_in_the_needs_booking_queue():
    job = large_job()
    with pytest.raises(SchedulerError, match="No routing rule"):
        book_appointment(job=job, slot=None)
    entry = NeedsBooking.objects.get(job=job)
    assert entry.retryable is False and entry.resolved_at is None


@pytest.mark.django_db
def test_the_most_specific_rule_wins():
    general = ConnectionFactory(name="General", kind=SchedulerKind.CONTRACTOR)
    RoutingRuleFactory(trade=None, connection=general, residents_book_online=False)
    routed_to_builtin()
    job = large_job()
    assert slots_for_job(job=job, start=next_monday()).slots


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_residents_racing_for_the_last_slot_one_gets_it():
    routed_to_builtin()
    jobs = [large_job(), large_job()]
    slot = slots_for_job(job=jobs[0], start=next_monday()).slots[0]
    start = threading.Barrier(2)
    outcomes: dict[int, object] = {}

    def resident_books(job):
        try:
            start.wait()
            outcomes[job.pk] = book_appointment(job=job, slot=slot)
        except SchedulerError as error:
            outcomes[job.pk] = error
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=resident_books, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    booked = [o for o in outcomes.values() if isinstance(o, Appointment)]
    refused = [o for o in outcomes.values() if isinstance(o, SlotUnavailable)]
    assert len(booked) == 1 and len(refused) == 1, outcomes
    assert refused[0].message == TAKEN
    assert CalendarBooking.objects.filter(starts_at=slot.start, is_cancelled=False).count() == 1


@pytest.mark.django_db
def test_slots_skip_days_off_and_closures():
    from scheduling.models import Closure

    team = routed_to_builtin()
    monday = next_monday()
    Closure.objects.create(team=team, starts_on=monday.date(), ends_on=monday.date(), reason="Training")
    slots = slots_for_job(job=large_job(), start=monday).slots
    days = {slot.start.date() for slot in slots}
    assert monday.date() not in days
    assert all(day.weekday() < 5 for day in days)
    assert days, "the rest of the fortnight is still bookable"


@pytest.mark.django_db
def test_a_slot_shape_the_team_does_not_offer_cannot_be_booked():
    from scheduling.port import Slot

    routed_to_builtin()
    monday = next_monday()
    school_run = Slot(monday.replace(hour=9, minute=30), monday.replace(hour=15))
    with pytest.raises(SlotUnavailable, match="not one we offer"):
        book_appointment(job=large_job(), slot=school_run)


@pytest.mark.django_db
def test_capacity_counts_job_sizes():
    routed_to_builtin()  # one operative: a morning holds four small jobs or one large one
    slot = slots_for_job(job=large_job(), start=next_monday()).slots[0]
    for _ in range(4):
        book_appointment(job=ReportFactory(job__size="S", job__trade=TradeFactory(code="PL")).job, slot=slot)
    assert slot not in slots_for_job(job=large_job(), start=next_monday()).slots
    with pytest.raises(SlotUnavailable):
        book_appointment(job=ReportFactory(job__size="S", job__trade=TradeFactory(code="PL")).job, slot=slot)
