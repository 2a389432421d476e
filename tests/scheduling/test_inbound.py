"""One inbound path for every scheduler's pushes: the connection's secret, a size limit, the adapter's
`parse_inbound`, each update applied in one transaction, and the adapter's own reply.

Most tests drive the path with a small adapter that reads a plain JSON push, so they test the path and
the updates rather than a vendor's format; DRS's push runs end to end through its real adapter.
"""

from __future__ import annotations

import base64
import json

import pytest
from django.urls import reverse

from repairs.models import JobState
from scheduling import views
from scheduling.adapters.drs import KironaDrs
from scheduling.models import Appointment, AppointmentStatus, SchedulerKind
from scheduling.port import (
    LONDON,
    BookingUpdate,
    Capability,
    SchedulerAdapter,
    SchedulerError,
    Slot,
    UpdateKind,
)
from scheduling.selectors import job_reference
from tests.repairs.factories import ReportFactory
from tests.scheduling.conftest import next_monday
from tests.scheduling.factories import ConnectionFactory
from tests.scheduling.fakes.drs import booking_confirmation
from workflows.services import transition_job

pytestmark = pytest.mark.django_db


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class PlainPushes(SchedulerAdapter):
    """Reads `[{"kind": "arrived", "reference": "RO-1", "start": iso, "end": iso}]`; replies in JSON."""

    key = "plain"
    label = "Plain pushes"
    capabilities = frozenset({Capability.INBOUND})
    seen: list[str] = []

    def __init__(self, connection=None, **options) -> None:
        self.connection = connection

    def parse_inbound(self, body: bytes, content_type: str = "") -> list[BookingUpdate]:
        PlainPushes.seen.append(content_type)
        try:
            items = json.loads(body)
        except ValueError as error:
            raise SchedulerError("Not JSON.", retryable=False) from error
        return [
            BookingUpdate(
                kind=UpdateKind(item["kind"]),
                job_reference=item["reference"],
                slot=Slot.from_key(f"{item['start']}/{item['end']}") if "start" in item else None,
                operative=item.get("operative", ""),
            )
            for item in items
        ]


@pytest.fixture
def plain(monkeypatch):
    """A Total Mobile connection whose pushes are read by `PlainPushes`."""
    monkeypatch.setattr(views, "adapter_for", lambda connection: PlainPushes(connection))
    PlainPushes.seen = []
    return ConnectionFactory(name="Pushes", kind=SchedulerKind.TOTALMOBILE)


def push(client, connection, *items, secret=None, url=None):
    return client.post(
        url or reverse("scheduling:inbound", args=[connection.pk]),
        data=json.dumps(list(items)),
        content_type="application/json",
        HTTP_AUTHORIZATION=basic(connection.inbound_username, secret or connection.inbound_secret),
    )


def morning(weeks: int = 2) -> dict:
    monday = next_monday(weeks)
    return {"start": monday.replace(hour=8).isoformat(), "end": monday.replace(hour=12).isoformat()}


def public_actions(job) -> list[str]:
    return list(job.events.filter(is_public=True).values_list("action", flat=True))


def test_a_confirmation_books_the_visit_and_schedules_the_job(client, plain):
    job = ReportFactory().job
    response = push(client, plain, {"kind": "confirmed", "reference": job_reference(job), **morning()})
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert PlainPushes.seen == ["application/json"]
    job.refresh_from_db()
    assert job.state == JobState.SCHEDULED
    appointment = Appointment.objects.get(job=job)
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.starts_at.astimezone(LONDON).hour == 8
    booked = job.events.get(action="appointment_booked")
    assert booked.is_public and booked.public_note.endswith(", morning (8am to 12pm)")
    assert not job.events.get(action="schedule").is_public


def test_a_second_confirmation_with_a_new_time_moves_the_visit(client, plain):
    job = ReportFactory().job
    push(client, plain, {"kind": "confirmed", "reference": job_reference(job), **morning()})
    push(client, plain, {"kind": "confirmed", "reference": job_reference(job), **morning(3)})
    assert Appointment.objects.filter(job=job).count() == 1
    assert job.events.filter(action="schedule").count() == 1
    moved = job.events.get(action="appointment_moved")
    assert moved.is_public and moved.public_note.startswith(f"{next_monday(3):%A}")


def test_on_the_way_and_arrived_are_public_and_arrival_starts_work(client, plain):
    job = transition_job(ReportFactory().job, "schedule", by=None)
    reference = job_reference(job)
    push(client, plain, {"kind": "on_the_way", "reference": reference, "operative": "Jo"})
    push(client, plain, {"kind": "on_the_way", "reference": reference})  # a repeat is one event
    job.refresh_from_db()
    assert job.state == JobState.SCHEDULED
    push(client, plain, {"kind": "arrived", "reference": reference})
    job.refresh_from_db()
    assert job.state == JobState.IN_PROGRESS
    assert job.events.filter(action="operative_on_the_way", is_public=True).count() == 1
    assert job.events.filter(action="operative_arrived", is_public=True).count() == 1
    assert not job.events.get(action="start_work").is_public  # the arrival says it better
    assert "Jo" not in "".join(job.events.values_list("public_note", flat=True))


def test_a_completion_from_scheduled_takes_start_work_then_complete(client, plain):
    job = transition_job(ReportFactory().job, "schedule", by=None)
    push(client, plain, {"kind": "completed", "reference": job_reference(job)})
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED
    assert list(
        job.events.filter(action__in=["start_work", "complete"]).values_list("action", flat=True)
    ) == [
        "start_work",
        "complete",
    ]


def test_a_completion_for_a_job_not_yet_scheduled_moves_nothing(client, plain):
    job = ReportFactory().job
    assert push(client, plain, {"kind": "completed", "reference": job_reference(job)}).status_code == 200
    job.refresh_from_db()
    assert job.state == JobState.REPORTED


def test_a_cancellation_from_the_scheduler_sends_the_job_back_to_be_booked(client, plain):
    job = ReportFactory().job
    push(client, plain, {"kind": "confirmed", "reference": job_reference(job), **morning()})
    push(client, plain, {"kind": "cancelled", "reference": job_reference(job)})
    job.refresh_from_db()
    assert job.state == JobState.TRIAGED
    assert Appointment.objects.get(job=job).status == AppointmentStatus.CANCELLED
    assert "appointment_cancelled" in public_actions(job)


def test_no_access_releases_the_appointment(client, plain):
    job = ReportFactory().job
    push(client, plain, {"kind": "confirmed", "reference": job_reference(job), **morning()})
    push(client, plain, {"kind": "no_access", "reference": job_reference(job)})
    job.refresh_from_db()
    assert job.state == JobState.NO_ACCESS
    assert Appointment.objects.get(job=job).status == AppointmentStatus.NO_ACCESS
    assert not Appointment.objects.filter(job=job, status__in=["requested", "booked"]).exists()


def test_a_push_with_one_bad_update_changes_nothing(client, plain):
    job = ReportFactory().job
    response = push(
        client,
        plain,
        {"kind": "confirmed", "reference": job_reference(job), **morning()},
        {"kind": "arrived", "reference": "RO-999999"},
    )
    assert response.status_code == 400
    assert response.json() == {"error": "No job has the reference 'RO-999999'."}
    job.refresh_from_db()
    assert job.state == JobState.REPORTED
    assert not Appointment.objects.filter(job=job).exists()


def test_a_push_that_cannot_be_read_gets_the_adapters_refusal(client, plain):
    response = client.post(
        reverse("scheduling:inbound", args=[plain.pk]),
        data=b"{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=basic(plain.inbound_username, plain.inbound_secret),
    )
    assert response.status_code == 400 and response.json() == {"error": "Not JSON."}


def test_the_wrong_secret_is_refused_and_changes_nothing(client, plain):
    job = ReportFactory().job
    response = push(
        client, plain, {"kind": "confirmed", "reference": job_reference(job), **morning()}, secret="guess"
    )
    assert response.status_code == 401
    job.refresh_from_db()
    assert job.state == JobState.REPORTED
    assert PlainPushes.seen == []


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, plain):
    job = ReportFactory().job
    item = {"kind": "arrived", "reference": job_reference(job), "operative": "x" * views.MAX_BODY}
    response = push(client, plain, item)
    assert response.status_code == 413
    assert response.json() == {"error": views.TOO_LARGE}
    assert PlainPushes.seen == []


def test_unknown_inactive_and_non_pushing_schedulers_are_not_found(client, plain, monkeypatch):
    assert push(client, plain, url=reverse("scheduling:inbound", args=[plain.pk + 1000])).status_code == 404
    builtin = ConnectionFactory(kind=SchedulerKind.BUILTIN)
    monkeypatch.undo()  # the real adapters: the built-in calendar takes no pushes
    assert push(client, builtin).status_code == 404
    plain.is_active = False
    plain.save()
    assert push(client, plain).status_code == 404


def test_the_old_per_vendor_address_is_the_same_path_for_its_kind_only(client, plain):
    job = transition_job(ReportFactory().job, "schedule", by=None)
    item = {"kind": "arrived", "reference": job_reference(job)}
    old = reverse("scheduling:totalmobile_inbound", args=[plain.pk])
    assert old == f"/scheduling/inbound/totalmobile/{plain.pk}/visit-status/"
    assert (
        push(client, plain, item, url=reverse("scheduling:drs_inbound", args=[plain.pk])).status_code == 404
    )
    assert push(client, plain, item, url=old).status_code == 200
    job.refresh_from_db()
    assert job.state == JobState.IN_PROGRESS


# --- DRS end to end: its own parser and its own reply ------------------------------------------


def post_confirmation(client, connection, job, *, url_name="scheduling:inbound"):
    monday = next_monday()
    body = booking_confirmation(
        job_reference(job), monday.replace(hour=8, tzinfo=None), monday.replace(hour=12, tzinfo=None)
    )
    return client.post(
        reverse(url_name, args=[connection.pk]),
        data=body,
        content_type="text/xml",
        HTTP_AUTHORIZATION=basic(connection.inbound_username, connection.inbound_secret),
    )


@pytest.mark.parametrize("url_name", ["scheduling:inbound", "scheduling:drs_inbound"])
def test_a_drs_booking_confirmation_schedules_the_job_and_gets_drs_reply(client, drs_connection, url_name):
    drs_connection.save()
    job = ReportFactory().job
    response = post_confirmation(client, drs_connection, job, url_name=url_name)
    body, content_type, status = KironaDrs(drs_connection).inbound_response(True)
    assert (response.status_code, response["Content-Type"], response.content) == (status, content_type, body)
    job.refresh_from_db()
    assert job.state == JobState.SCHEDULED
    appointment = Appointment.objects.get(job=job)
    assert appointment.starts_at == next_monday().replace(hour=8)


def test_a_drs_push_for_an_unknown_order_gets_drs_refusal(client, drs_connection):
    drs_connection.save()
    job = ReportFactory.build().job
    job.pk = 999999
    response = post_confirmation(client, drs_connection, job)
    body, _, status = KironaDrs(drs_connection).inbound_response(
        False, "No job has the reference 'RO-999999'."
    )
    assert (response.status_code, response.content) == (status, body)
