"""The outbox: a JobEvent saved writes its messages in the same transaction, to the right people once."""

from __future__ import annotations

import pytest
from django.db import transaction

from notifications.models import Audience, Channel, Message, MessageStatus, Trigger
from repairs.models import JobState, WorkTeam
from scheduling.models import Appointment, AppointmentStatus, SchedulerConnection, SchedulerKind
from tests.notifications.conftest import (
    EMAIL_TEMPLATE,
    SMS_TEMPLATE,
    communal_job_with_reporters,
    home_job_with_reporter,
    make_rule,
)
from tests.repairs.factories import EmergencyPriorityFactory, ReportFactory, TradeFactory
from workflows.intake import withdraw_report
from workflows.models import JobEvent
from workflows.services import record_event, transition_job

pytestmark = pytest.mark.usefixtures("no_default_rules", "recording_settings")


def test_three_reporters_of_a_communal_job_are_each_told_it_is_scheduled_and_none_means_none():
    make_rule(state=JobState.SCHEDULED)
    job, reports = communal_job_with_reporters()

    transition_job(job, "schedule", by=None, public=True)

    messages = Message.objects.order_by("recipient")
    assert [(m.channel, m.recipient) for m in messages] == [
        (Channel.SMS, "07700900123"),
        (Channel.EMAIL, "ann@example.invalid"),
        (Channel.EMAIL, "bo@example.invalid"),
    ]
    assert {m.template_id for m in messages if m.channel == Channel.EMAIL} == {EMAIL_TEMPLATE}
    assert messages.get(channel=Channel.SMS).template_id == SMS_TEMPLATE
    # Each resident gets their own reference and status link, nobody else's.
    by_report = {m.report_id: m.personalisation for m in messages}
    for report in reports[:3]:
        assert by_report[report.pk]["reference"] == report.reference
        assert by_report[report.pk]["status_url"].endswith(f"/repairs/status/{report.status_token}/")
    assert not Message.objects.filter(report=reports[3]).exists()


def test_a_reporter_who_withdrew_their_report_is_told_nothing_more():
    make_rule(state=JobState.SCHEDULED)
    job, reports = communal_job_with_reporters()
    withdraw_report(reports[0])

    transition_job(job, "schedule", by=None, public=True)

    told = set(Message.objects.values_list("report_id", flat=True))
    assert reports[0].pk not in told
    assert {reports[1].pk, reports[2].pk} <= told


def test_messages_are_written_in_the_events_transaction_and_roll_back_with_it():
    make_rule(trigger=Trigger.EVENT, event="appointment_booked", state="")
    job, _ = home_job_with_reporter()

    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(job, "appointment_booked", public=True, public_note="Tuesday 4 March, 8am to 12pm")
        assert Message.objects.count() == 1  # inside the same transaction
        raise RuntimeError("the booking failed after the event was recorded")

    assert Message.objects.count() == 0
    assert JobEvent.objects.count() == 0


def test_sending_is_queued_only_after_commit(django_capture_on_commit_callbacks):
    make_rule(trigger=Trigger.EVENT, event="appointment_booked", state="")
    job, _ = home_job_with_reporter()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record_event(job, "appointment_booked", public=True)
    assert Message.objects.get().status == MessageStatus.QUEUED
    assert callbacks, "sending waits for the commit"

    for callback in callbacks:
        callback()
    sent = Message.objects.get()
    assert sent.status == MessageStatus.SENT
    assert sent.backend == "recording"


def test_the_same_event_never_writes_a_second_message_to_one_person():
    rule = make_rule(trigger=Trigger.EVENT, event="appointment_booked", state="")
    job, _ = home_job_with_reporter()
    event = record_event(job, "appointment_booked", public=True)

    from notifications.outbox import queue_for_event

    assert queue_for_event(event) == []
    assert Message.objects.filter(rule=rule, event=event).count() == 1


def test_report_received_tells_only_the_new_reporter_of_a_communal_job():
    make_rule(trigger=Trigger.EVENT, event="neighbour_reported", state="")
    job, reports = communal_job_with_reporters()
    newest = ReportFactory(job=job, contact_email="eve@example.invalid")

    record_event(job, "neighbour_reported", public=True)

    assert list(Message.objects.values_list("report", flat=True)) == [newest.pk]
    assert reports  # the earlier neighbours heard nothing new


def test_residents_are_not_told_of_internal_events_and_state_rules_need_a_change_of_state():
    make_rule(state=JobState.TRIAGED)
    job, _ = home_job_with_reporter()

    transition_job(job, "triage", by=None, public=False)
    record_event(job, "note_added", public=True)

    assert Message.objects.count() == 0


def test_rules_match_on_trade_and_priority():
    plumbing = TradeFactory(code="PL")
    make_rule(state=JobState.SCHEDULED, trade=TradeFactory(code="EL"))
    make_rule(state=JobState.SCHEDULED, name="Emergencies", priority=EmergencyPriorityFactory())
    make_rule(state=JobState.SCHEDULED, name="Plumbing", trade=plumbing)
    job, _ = home_job_with_reporter()
    assert job.trade == plumbing

    transition_job(job, "schedule", by=None, public=True)

    assert [m.rule.name for m in Message.objects.all()] == ["Plumbing"]


def test_staff_get_the_address_and_each_group_member_and_the_contractor_gets_the_job():
    from django.contrib.auth.models import Group

    from tests.workflows.factories import UserFactory

    group = Group.objects.create(name="Emergency desk")
    for name in ("pat", "lee"):
        UserFactory(username=name, email=f"{name}@council.invalid").groups.add(group)
    UserFactory(username="nomail", email="").groups.add(group)
    make_rule(
        name="Staff",
        trigger=Trigger.EVENT,
        event="report_received",
        state="",
        audience=Audience.STAFF,
        staff_email="repairs@council.invalid",
        staff_group=group,
        sms_template_id="",
        personalisation="reference, address_line, status_url",
    )
    make_rule(
        name="Contractor",
        trigger=Trigger.EVENT,
        event="report_received",
        state="",
        audience=Audience.CONTRACTOR,
        personalisation="reference, repair, address_line",
    )
    job, report = home_job_with_reporter()
    job.assignee = WorkTeam.objects.create(
        name="Acme Plumbing", email="jobs@acme.invalid", phone="07700900999"
    )
    job.save()

    record_event(job, "report_received", public=True)

    assert sorted(Message.objects.filter(audience=Audience.STAFF).values_list("recipient", flat=True)) == [
        "lee@council.invalid",
        "pat@council.invalid",
        "repairs@council.invalid",
    ]
    contractor = Message.objects.get(audience=Audience.CONTRACTOR)
    assert (contractor.channel, contractor.recipient) == (Channel.EMAIL, "jobs@acme.invalid")
    # Staff and contractors get the job's reference and back-office link, never a resident's.
    assert contractor.personalisation["reference"] == f"RO-{job.pk}"
    assert report.reference not in str(contractor.personalisation)
    assert report.contact_email not in str(contractor.personalisation)


def test_appointment_messages_are_left_to_a_scheduler_that_sends_its_own():
    make_rule(trigger=Trigger.EVENT, event="appointment_booked", state="")
    make_rule(name="Completed", state=JobState.COMPLETED)
    job, _ = home_job_with_reporter()
    connection = SchedulerConnection.objects.create(
        name="DRS", kind=SchedulerKind.DRS, sends_own_messages=True
    )
    Appointment.objects.create(
        job=job, connection=connection, adapter_key=SchedulerKind.DRS, status=AppointmentStatus.BOOKED
    )

    record_event(job, "appointment_booked", public=True)
    assert Message.objects.count() == 0

    connection.sends_own_messages = False
    connection.save()
    record_event(job, "appointment_booked", public=True)
    assert Message.objects.count() == 1


def test_a_fault_in_the_outbox_never_undoes_the_residents_event(monkeypatch):
    make_rule(trigger=Trigger.EVENT, event="appointment_booked", state="")
    job, _ = home_job_with_reporter()

    def broken(event):
        raise ValueError("a bug in a rule")

    monkeypatch.setattr("notifications.receivers.queue_for_event", broken)
    with transaction.atomic():
        record_event(job, "appointment_booked", public=True)

    assert JobEvent.objects.filter(action="appointment_booked").count() == 1
