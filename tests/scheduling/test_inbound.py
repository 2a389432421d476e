"""Schedulers' pushes move jobs through the lifecycle: DRS bookingConfirmation, Total Mobile visit status."""

from __future__ import annotations

import base64
import json

import pytest
from django.urls import reverse

from repairs.models import JobState
from scheduling.models import Appointment, AppointmentStatus
from scheduling.port import LONDON
from scheduling.selectors import job_reference
from tests.repairs.factories import ReportFactory
from tests.scheduling.conftest import next_monday
from tests.scheduling.fakes.drs import booking_confirmation
from workflows.services import transition_job

pytestmark = pytest.mark.django_db


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.fixture
def drs(drs_connection):
    drs_connection.save()
    return drs_connection


@pytest.fixture
def totalmobile(totalmobile_connection):
    totalmobile_connection.save()
    return totalmobile_connection


def post_confirmation(client, connection, job, *, password=None):
    monday = next_monday()
    body = booking_confirmation(
        job_reference(job), monday.replace(hour=8, tzinfo=None), monday.replace(hour=12, tzinfo=None)
    )
    return client.post(
        reverse("scheduling:drs_inbound", args=[connection.pk]),
        data=body,
        content_type="text/xml",
        HTTP_AUTHORIZATION=basic(connection.inbound_username, password or connection.inbound_secret),
    )


def test_a_drs_booking_confirmation_schedules_the_job(client, drs):
    job = ReportFactory().job
    response = post_confirmation(client, drs, job)
    assert response.status_code == 200
    assert b"<status>success</status>" in response.content
    job.refresh_from_db()
    assert job.state == JobState.SCHEDULED
    appointment = Appointment.objects.get(job=job)
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.starts_at == next_monday().replace(hour=8)
    assert appointment.starts_at.astimezone(LONDON).hour == 8  # London wall-clock, whatever the season
    assert job.events.filter(action="schedule", actor__isnull=True).exists()


def test_a_repeated_confirmation_moves_the_visit_without_a_second_transition(client, drs):
    job = ReportFactory().job
    post_confirmation(client, drs, job)
    assert post_confirmation(client, drs, job).status_code == 200
    assert job.events.filter(action="schedule").count() == 1
    assert Appointment.objects.filter(job=job).count() == 1


def test_a_drs_push_with_the_wrong_secret_is_refused_and_changes_nothing(client, drs):
    job = ReportFactory().job
    response = post_confirmation(client, drs, job, password="guess")
    assert response.status_code == 401
    job.refresh_from_db()
    assert job.state == JobState.REPORTED


def test_a_drs_push_for_an_unknown_order_answers_a_soap_fault(client, drs):
    response = client.post(
        reverse("scheduling:drs_inbound", args=[drs.pk]),
        data=booking_confirmation(
            "RO-999999", next_monday().replace(tzinfo=None), next_monday().replace(hour=4, tzinfo=None)
        ),
        content_type="text/xml",
        HTTP_AUTHORIZATION=basic(drs.inbound_username, drs.inbound_secret),
    )
    assert response.status_code == 500
    assert b"<faultstring>No job has the reference 'RO-999999'.</faultstring>" in response.content


def test_a_drs_push_that_is_not_xml_answers_a_soap_fault(client, drs):
    response = client.post(
        reverse("scheduling:drs_inbound", args=[drs.pk]),
        data=b"<not xml",
        content_type="text/xml",
        HTTP_AUTHORIZATION=basic(drs.inbound_username, drs.inbound_secret),
    )
    assert response.status_code == 500 and b"not well-formed" in response.content


def post_visit_status(client, connection, job, status, **auth):
    return client.post(
        reverse("scheduling:totalmobile_inbound", args=[connection.pk]),
        data=json.dumps(
            {
                "identity": {"reference": job_reference(job)},
                "visitStatus": status,
                "operative": {"name": "Jo"},
            }
        ),
        content_type="application/json",
        **(auth or {"HTTP_AUTHORIZATION": basic(connection.inbound_username, connection.inbound_secret)}),
    )


def test_a_total_mobile_arrival_starts_work(client, totalmobile):
    job = transition_job(ReportFactory().job, "schedule", by=None)
    assert post_visit_status(client, totalmobile, job, "Arrived").status_code == 200
    job.refresh_from_db()
    assert job.state == JobState.IN_PROGRESS


def test_a_total_mobile_completion_completes_the_job(client, totalmobile):
    job = transition_job(ReportFactory().job, "schedule", by=None)
    post_visit_status(client, totalmobile, job, "Arrived")
    assert post_visit_status(client, totalmobile, job, "Completed").status_code == 200
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED


def test_a_total_mobile_update_with_a_shared_secret_header_is_accepted(client, totalmobile):
    job = transition_job(ReportFactory().job, "schedule", by=None)
    response = post_visit_status(
        client, totalmobile, job, "Arrived", HTTP_X_SHARED_SECRET=totalmobile.inbound_secret
    )
    assert response.status_code == 200


def test_a_total_mobile_update_with_the_wrong_password_is_refused(client, totalmobile):
    job = transition_job(ReportFactory().job, "schedule", by=None)
    response = post_visit_status(
        client, totalmobile, job, "Arrived", HTTP_AUTHORIZATION=basic("totalmobile", "nope")
    )
    assert response.status_code == 401
    job.refresh_from_db()
    assert job.state == JobState.SCHEDULED


def test_a_total_mobile_status_we_do_not_know_is_a_clear_400(client, totalmobile):
    job = ReportFactory().job
    response = post_visit_status(client, totalmobile, job, "Teleported")
    assert response.status_code == 400
    assert "Teleported" in response.json()["error"]
