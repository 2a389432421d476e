"""A scheduler that is down never loses the resident's report: the job waits in the queue, then books."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from repairs.models import JobState, Report
from scheduling.booking import book_appointment
from scheduling.models import AppointmentStatus, NeedsBooking
from scheduling.port import Slot
from scheduling.queue import retry_due_bookings
from tests.repairs.factories import ReportFactory, TradeFactory
from tests.scheduling.conftest import next_monday
from tests.scheduling.factories import RoutingRuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def drs_job(drs_connection):
    drs_connection.save()
    trade = TradeFactory(code="PL")
    RoutingRuleFactory(trade=trade, connection=drs_connection)
    return ReportFactory(job__trade=trade).job


def morning() -> Slot:
    monday = next_monday()
    return Slot(monday.replace(hour=8), monday.replace(hour=12))


def book(job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return book_appointment(job=job, slot=morning())


def test_a_soap_fault_leaves_the_report_saved_and_the_job_queued(
    drs_job, fake_drs, django_capture_on_commit_callbacks
):
    fake_drs.fault = "server"
    appointment = book(drs_job, django_capture_on_commit_callbacks)
    appointment.refresh_from_db()
    drs_job.refresh_from_db()
    assert Report.objects.filter(job=drs_job).count() == 1
    assert drs_job.state == JobState.REPORTED
    assert appointment.status == AppointmentStatus.REQUESTED
    entry = NeedsBooking.objects.get(job=drs_job, resolved_at__isnull=True)
    assert entry.retryable and entry.attempts == 1
    assert "DRS fault" in entry.last_error
    assert entry.next_attempt_at > timezone.now()


def test_a_timeout_leaves_the_report_saved_and_the_job_queued(
    drs_job, fake_drs, drs_connection, django_capture_on_commit_callbacks
):
    drs_connection.timeout_seconds = 1
    drs_connection.save()
    fake_drs.delay = 1.5
    book(drs_job, django_capture_on_commit_callbacks)
    drs_job.refresh_from_db()
    assert drs_job.state == JobState.REPORTED
    entry = NeedsBooking.objects.get(job=drs_job, resolved_at__isnull=True)
    assert entry.retryable and "did not answer" in entry.last_error


def test_the_queue_books_the_job_once_the_scheduler_is_back(
    drs_job, fake_drs, django_capture_on_commit_callbacks
):
    fake_drs.fault = "server"
    appointment = book(drs_job, django_capture_on_commit_callbacks)
    fake_drs.fault = ""
    assert retry_due_bookings(now=timezone.now() + datetime.timedelta(hours=1)) == 1
    appointment.refresh_from_db()
    drs_job.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED and appointment.external_ref
    assert drs_job.state == JobState.SCHEDULED
    assert not NeedsBooking.objects.filter(job=drs_job, resolved_at__isnull=True).exists()


def test_the_queue_waits_for_the_backoff(drs_job, fake_drs, django_capture_on_commit_callbacks):
    fake_drs.fault = "server"
    book(drs_job, django_capture_on_commit_callbacks)
    assert retry_due_bookings(now=timezone.now()) == 0


def test_a_refusal_that_retrying_cannot_fix_is_left_for_staff(
    drs_job, fake_drs, django_capture_on_commit_callbacks
):
    fake_drs.fault = "client"
    appointment = book(drs_job, django_capture_on_commit_callbacks)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.FAILED
    entry = NeedsBooking.objects.get(job=drs_job)
    assert entry.retryable is False


def test_the_periodic_task_named_in_the_beat_schedule_retries_the_queue(
    drs_job, fake_drs, django_capture_on_commit_callbacks, settings
):
    from config.celery import app
    from scheduling.tasks import retry_needs_booking

    fake_drs.fault = "server"
    book(drs_job, django_capture_on_commit_callbacks)
    NeedsBooking.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    fake_drs.fault = ""
    assert settings.CELERY_BEAT_SCHEDULE["scheduling-retry-needs-booking"]["task"] == retry_needs_booking.name
    assert retry_needs_booking.name in app.tasks
    assert retry_needs_booking.delay().get() == 1
    drs_job.refresh_from_db()
    assert drs_job.state == JobState.SCHEDULED
