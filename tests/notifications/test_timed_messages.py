"""Reminders the day before and staff alerts before a due date: each sent once however often beat runs."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from notifications.models import Audience, EventKind, Message, Trigger
from notifications.selectors import jobs_about_to_breach
from notifications.tasks import alert_jobs_due_soon, send_appointment_reminders
from repairs.models import Job
from scheduling.models import Appointment, AppointmentStatus, SchedulerConnection, SchedulerKind
from tests.notifications.conftest import communal_job_with_reporters, home_job_with_reporter, make_rule

pytestmark = pytest.mark.usefixtures("no_default_rules", "recording_settings")


def tomorrow_at(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def book(job, *, starts_at, sends_own_messages=False, status=AppointmentStatus.BOOKED) -> Appointment:
    connection, _ = SchedulerConnection.objects.get_or_create(
        name=f"Calendar {sends_own_messages}",
        defaults={"kind": SchedulerKind.BUILTIN, "sends_own_messages": sends_own_messages},
    )
    return Appointment.objects.create(
        job=job,
        connection=connection,
        adapter_key=connection.kind,
        status=status,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=4),
    )


def test_every_reporter_is_reminded_once_the_day_before(django_capture_on_commit_callbacks):
    make_rule(
        trigger=Trigger.EVENT, event=EventKind.APPOINTMENT_REMINDER, state="", personalisation="appointment"
    )
    job, _ = communal_job_with_reporters()
    book(job, starts_at=tomorrow_at(8))
    later_job, _ = home_job_with_reporter(contact_email="later@example.invalid")
    book(later_job, starts_at=tomorrow_at(8) + datetime.timedelta(days=1))
    own, _ = home_job_with_reporter(contact_email="own@example.invalid")
    book(own, starts_at=tomorrow_at(12), sends_own_messages=True)

    with django_capture_on_commit_callbacks(execute=True):
        assert send_appointment_reminders() == 3
    assert send_appointment_reminders() == 0  # beat running twice sends nothing more

    reminders = Message.objects.filter(purpose=EventKind.APPOINTMENT_REMINDER)
    assert sorted(reminders.values_list("recipient", flat=True)) == [
        "07700900123",
        "ann@example.invalid",
        "bo@example.invalid",
    ]
    assert all(m.personalisation["appointment"].endswith("8am to 12pm") for m in reminders)


def test_a_moved_appointment_is_reminded_again_at_its_new_time():
    make_rule(
        trigger=Trigger.EVENT, event=EventKind.APPOINTMENT_REMINDER, state="", personalisation="appointment"
    )
    job, _ = home_job_with_reporter()
    appointment = book(job, starts_at=tomorrow_at(8))
    send_appointment_reminders()
    appointment.starts_at = tomorrow_at(12)
    appointment.save()

    assert send_appointment_reminders() == 1
    assert Message.objects.count() == 2


def test_staff_are_alerted_once_about_a_job_about_to_pass_its_due_date():
    make_rule(
        name="Due soon",
        trigger=Trigger.EVENT,
        event=EventKind.DUE_SOON,
        state="",
        audience=Audience.STAFF,
        staff_email="repairs@council.invalid",
        sms_template_id="",
        personalisation="reference, due_date, priority",
    )
    now = timezone.now()
    soon, _ = home_job_with_reporter()
    Job.objects.filter(pk=soon.pk).update(due_at=now + datetime.timedelta(hours=3))
    later, _ = home_job_with_reporter()
    Job.objects.filter(pk=later.pk).update(due_at=now + datetime.timedelta(days=5))
    overdue, _ = home_job_with_reporter()
    Job.objects.filter(pk=overdue.pk).update(due_at=now - datetime.timedelta(hours=1))

    assert list(jobs_about_to_breach(now=now, within=datetime.timedelta(hours=24))) == [soon]
    assert alert_jobs_due_soon() == 1
    assert alert_jobs_due_soon() == 0

    alert = Message.objects.get()
    assert (alert.recipient, alert.personalisation["reference"]) == (
        "repairs@council.invalid",
        f"RO-{soon.pk}",
    )
