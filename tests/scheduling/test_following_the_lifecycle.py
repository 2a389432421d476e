"""Staff moves in the lifecycle reach the scheduler: a cancelled job frees its slot; a job completed in
the back office is reported complete to DRS; a completion DRS itself sent is not echoed back."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from scheduling.booking import book_appointment, slots_for_job
from scheduling.models import AppointmentStatus, CalendarBooking, SchedulerKind
from scheduling.port import Slot
from tests.repairs.factories import ReportFactory, TradeFactory
from tests.scheduling.conftest import next_monday
from tests.scheduling.factories import ConnectionFactory, RoutingRuleFactory, builtin_team
from tests.workflows.factories import UserFactory
from workflows.services import transition_job

pytestmark = pytest.mark.django_db


def manager():
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name="Repairs managers")[0])
    user.is_superuser = True  # every transition permission, whatever the group ships
    user.save()
    return user


def test_cancelling_a_job_frees_its_builtin_slot(django_capture_on_commit_callbacks):
    team = builtin_team(trade_code="PL")
    RoutingRuleFactory(trade=TradeFactory(code="PL"), connection=ConnectionFactory(), team=team)
    job = ReportFactory(job__trade=TradeFactory(code="PL"), job__size="L").job
    appointment = book_appointment(job=job, slot=slots_for_job(job=job, start=next_monday()).slots[0])
    job.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        transition_job(job, "cancel", by=manager(), note="Resident fixed it")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert not CalendarBooking.objects.filter(is_cancelled=False).exists()


@pytest.fixture
def drs_booked(drs_connection, fake_drs, django_capture_on_commit_callbacks):
    drs_connection.save()
    RoutingRuleFactory(trade=TradeFactory(code="PL"), connection=drs_connection)
    job = ReportFactory(job__trade=TradeFactory(code="PL")).job
    monday = next_monday()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book_appointment(job=job, slot=Slot(monday.replace(hour=8), monday.replace(hour=12)))
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED and appointment.connection.kind == SchedulerKind.DRS
    job.refresh_from_db()
    return transition_job(job, "start_work", by=None)


def test_completing_in_the_back_office_tells_drs(drs_booked, fake_drs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        transition_job(drs_booked, "complete", by=manager())
    (call,) = fake_drs.calls_to("updateBooking")
    assert call.findtext("updateBooking/completeOrder") == "true"
    assert call.findtext("updateBooking/transactionType") == "COMPLETED"
    assert fake_drs.invalid == []


def test_a_completion_drs_sent_is_not_sent_back(drs_booked, fake_drs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        transition_job(drs_booked, "complete", by=None)
    assert fake_drs.calls_to("updateBooking") == []
