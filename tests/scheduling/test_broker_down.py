"""A booking made while the broker is down is never lost: its outbox row waits in the needs-booking
queue, and once the broker is back beat's task delivers it to the scheduler, exactly once.

The "down" broker is a closed local port; the "back" broker is the local Redis with a real worker.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.utils import timezone

from config.celery import app
from repairs.models import JobState
from scheduling.booking import book_appointment
from scheduling.models import Appointment, AppointmentStatus, NeedsBooking
from scheduling.port import Slot
from scheduling.tasks import retry_needs_booking
from tests.celery_support import celery_worker_on_redis
from tests.repairs.factories import ReportFactory, TradeFactory
from tests.scheduling.broker import broker_down
from tests.scheduling.conftest import next_monday
from tests.scheduling.factories import RoutingRuleFactory


@pytest.fixture(autouse=True)
def fresh_result_backend():
    """The app caches its result backend per thread; results are read from Redis only in these tests."""
    app._local.__dict__.pop("backend", None)
    yield
    app._local.__dict__.pop("backend", None)


def wait_for_status(appointment_id: int, status: str, seconds: float = 30.0) -> Appointment:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        appointment = Appointment.objects.get(pk=appointment_id)
        if appointment.status == status:
            return appointment
        time.sleep(0.1)
    raise AssertionError(f"appointment {appointment_id} stayed {appointment.status!r} for {seconds}s")


@pytest.mark.django_db(transaction=True)
def test_a_booking_made_while_the_broker_is_down_is_delivered_once_it_is_back(drs_connection, fake_drs):
    drs_connection.save()
    RoutingRuleFactory(trade=TradeFactory(code="PL"), connection=drs_connection)
    job = ReportFactory(job__trade=TradeFactory(code="PL")).job
    monday = next_monday()
    slot = Slot(monday.replace(hour=8), monday.replace(hour=12))

    with broker_down():
        appointment = book_appointment(job=job, slot=slot)  # the task cannot be sent: no error raised

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.REQUESTED
    entry = NeedsBooking.objects.get(job=job, resolved_at__isnull=True)
    assert entry.appointment_id == appointment.pk and entry.retryable and entry.attempts == 0
    assert fake_drs.calls_to("createOrder") == []

    # Time passes beyond the fast path's grace; beat's next run finds the row.
    NeedsBooking.objects.filter(pk=entry.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with celery_worker_on_redis():
        app._local.__dict__.pop("backend", None)
        assert retry_needs_booking.delay().get(timeout=30) == 1
        booked = wait_for_status(appointment.pk, AppointmentStatus.BOOKED)
        assert retry_needs_booking.delay().get(timeout=30) == 0  # beat again: nothing left to send

    assert booked.external_ref
    assert len(fake_drs.calls_to("createOrder")) == 1
    assert len(fake_drs.calls_to("scheduleBooking")) == 1
    job.refresh_from_db()
    assert job.state == JobState.SCHEDULED
    assert not NeedsBooking.objects.filter(job=job, resolved_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_up_the_fast_path_books_and_beat_sends_nothing_more(drs_connection, fake_drs):
    drs_connection.save()
    RoutingRuleFactory(trade=TradeFactory(code="PL"), connection=drs_connection)
    job = ReportFactory(job__trade=TradeFactory(code="PL")).job
    monday = next_monday()
    with celery_worker_on_redis():
        app._local.__dict__.pop("backend", None)
        appointment = book_appointment(job=job, slot=Slot(monday.replace(hour=8), monday.replace(hour=12)))
        wait_for_status(appointment.pk, AppointmentStatus.BOOKED)
        NeedsBooking.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
        assert retry_needs_booking.delay().get(timeout=30) == 0
    assert len(fake_drs.calls_to("createOrder")) == 1
