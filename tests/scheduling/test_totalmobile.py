"""Total Mobile through requests-oauthlib against a fake built from the only public client
(ONSdigital/blaise-totalmobile-services): the world found by name, bodies in the public shapes
(golden files), duplicates, refusals, and the two published pushes read into updates."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from scheduling.adapters import adapter_for
from scheduling.adapters.totalmobile import booking_from_job
from scheduling.port import LONDON, Booking, BookingStatus, Capability, JobSpec, SchedulerError, Slot, SorLine
from tests.scheduling.fakes.totalmobile import WORLD, invalid_fields

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
JOB = JobSpec(
    reference="RO-42",
    trade="PL",
    size="S",
    priority="RO",
    target_date=datetime.date(2027, 6, 18),
    location_id="00012345",
    address="Flat 3, 1 Test Street, Demoton",
    postcode="AA1 1AB",
    sor_lines=(SorLine("PL-S", 1, 60, "Repair a tap"),),
    description="Kitchen tap drips",
    contact_name="Sam Resident",
    contact_phone="07700 900123",
    access_notes="Dog in the garden",
)
SLOT = Slot(datetime.datetime(2027, 6, 7, 8, tzinfo=LONDON), datetime.datetime(2027, 6, 7, 12, tzinfo=LONDON))


def golden(name: str):
    return json.loads((GOLDEN / f"totalmobile_{name}.json").read_text())


def sent(httpserver, method: str, path_end: str) -> list[dict]:
    return [
        json.loads(request.get_data())
        for request, _response in httpserver.log
        if request.method == method and request.path.endswith(path_end)
    ]


# --- outgoing bodies ---------------------------------------------------------------------------


def test_the_create_job_body_matches_the_golden_file(totalmobile_connection, httpserver):
    adapter_for(totalmobile_connection).book(JOB, SLOT)
    assert sent(httpserver, "POST", "/jobs") == [golden("create_job")]


def test_the_delete_body_carries_a_deletion_reason_as_the_golden_file(totalmobile_connection, httpserver):
    adapter = adapter_for(totalmobile_connection)
    booking = adapter.book(JOB, SLOT)
    assert adapter.cancel(JOB, booking).status == BookingStatus.CANCELLED
    assert sent(httpserver, "DELETE", "/jobs/RO-42") == [golden("delete_job")]


def test_a_council_can_name_its_own_deletion_reason(totalmobile_connection, fake_totalmobile):
    totalmobile_connection.options = {"deletion_reason": "LANDLORD-CANCEL"}
    adapter = adapter_for(totalmobile_connection)
    adapter.cancel(JOB, adapter.book(JOB, None))
    assert fake_totalmobile.deletions[0]["deletionReason"] == {"reference": "LANDLORD-CANCEL"}


def test_the_fake_accepts_the_golden_body_and_refuses_fields_the_public_client_never_shows():
    body = golden("create_job")
    assert invalid_fields(body) == {}
    assert "accessNotes" in invalid_fields({**body, "accessNotes": "Dog"})
    assert "duration" in invalid_fields({key: value for key, value in body.items() if key != "duration"})
    postcode_in_the_wrong_place = {**body, "location": {**body["location"], "postcode": "AA1 1AB"}}
    assert "location" in invalid_fields(postcode_in_the_wrong_place)


def test_a_job_read_back_is_a_booking_with_its_visit_and_operative():
    booking = booking_from_job(golden("get_job"), "RO-42")
    assert booking.external_ref == "RO-42" and booking.status == BookingStatus.BOOKED
    assert (booking.slot.start, booking.slot.end) == (SLOT.start, SLOT.end)
    assert booking.operative == "jo.joiner"


def test_fetch_names_the_operative_total_mobile_allocated(totalmobile_connection, fake_totalmobile):
    adapter = adapter_for(totalmobile_connection)
    booking = adapter.book(JOB, SLOT)
    fake_totalmobile.allocate("RO-42", "jo.joiner")
    assert adapter.fetch(JOB, booking).operative == "jo.joiner"


def test_a_booking_with_no_visit_window_leaves_the_time_to_total_mobile(totalmobile_connection, httpserver):
    adapter = adapter_for(totalmobile_connection)
    booking = adapter.book(JOB, None)
    assert "appointmentDate" not in sent(httpserver, "POST", "/jobs")[0]
    assert adapter.fetch(JOB, booking).slot is None


# --- the world -----------------------------------------------------------------------------------


def test_jobs_go_to_the_worlds_guid_found_by_name_once(totalmobile_connection, fake_totalmobile, httpserver):
    adapter = adapter_for(totalmobile_connection)
    adapter.book(JOB, SLOT)
    adapter.fetch(JOB, Booking("RO-42", BookingStatus.BOOKED))
    assert fake_totalmobile.world_requests == 1
    assert totalmobile_connection.options["world_id"] == fake_totalmobile.world_id
    paths = [request.path for request, _ in httpserver.log if "/jobs" in request.path]
    assert paths and all(f"/worlds/{fake_totalmobile.world_id}/jobs" in path for path in paths)


def test_the_world_guid_is_kept_on_the_saved_connection(totalmobile_connection, fake_totalmobile):
    totalmobile_connection.save()
    adapter_for(totalmobile_connection).book(JOB, SLOT)
    totalmobile_connection.refresh_from_db()
    assert totalmobile_connection.options["world_id"] == fake_totalmobile.world_id
    adapter_for(totalmobile_connection).fetch(JOB, Booking("RO-42", BookingStatus.BOOKED))
    assert fake_totalmobile.world_requests == 1


def test_renaming_the_world_looks_it_up_again(totalmobile_connection, fake_totalmobile):
    adapter_for(totalmobile_connection).book(JOB, SLOT)
    totalmobile_connection.world = "Region 2"
    adapter_for(totalmobile_connection).book(JOB, None)
    assert totalmobile_connection.options["world_id"] == fake_totalmobile.worlds["Region 2"]


def test_a_world_total_mobile_does_not_have_is_a_set_up_fault_listing_those_it_has(totalmobile_connection):
    totalmobile_connection.world = "Repairs Nowhere"
    with pytest.raises(SchedulerError) as raised:
        adapter_for(totalmobile_connection).book(JOB, SLOT)
    assert raised.value.retryable is False
    assert "no world called 'Repairs Nowhere'" in raised.value.message
    assert WORLD in raised.value.message


def test_check_schedulers_shows_the_world_and_its_guid(totalmobile_connection, fake_totalmobile):
    totalmobile_connection.save()
    out = StringIO()
    call_command("check_schedulers", stdout=out)
    assert f"world {WORLD} → {fake_totalmobile.world_id}" in out.getvalue()


# --- answers ---------------------------------------------------------------------------------------


def test_creating_a_job_that_exists_reads_it_back_instead_of_failing(
    totalmobile_connection, fake_totalmobile
):
    adapter = adapter_for(totalmobile_connection)
    first = adapter.book(JOB, SLOT)
    again = adapter_for(totalmobile_connection).book(JOB, SLOT)
    assert again.external_ref == first.external_ref and again.slot == first.slot
    assert len(fake_totalmobile.jobs) == 1


def test_a_wrong_client_secret_is_a_set_up_fault_naming_the_scheduler(totalmobile_connection):
    totalmobile_connection.client_secret = "wrong"
    with pytest.raises(SchedulerError) as raised:
        adapter_for(totalmobile_connection).book(JOB, SLOT)
    assert raised.value.retryable is False
    assert "scheduler 'Total Mobile'" in raised.value.message


def test_a_revoked_token_is_fetched_again_once(totalmobile_connection, fake_totalmobile):
    adapter = adapter_for(totalmobile_connection)
    adapter.book(JOB, SLOT)
    fake_totalmobile.tokens.clear()
    assert adapter.fetch(JOB, Booking("RO-42", BookingStatus.BOOKED)).status == BookingStatus.BOOKED
    assert fake_totalmobile.token_requests == 2


def test_a_forbidden_answer_is_not_retried(totalmobile_connection, fake_totalmobile):
    adapter = adapter_for(totalmobile_connection)
    adapter.book(JOB, SLOT)
    fake_totalmobile.forbidden = True  # the client lost its access to the world
    with pytest.raises(SchedulerError) as raised:
        adapter.fetch(JOB, Booking("RO-42", BookingStatus.BOOKED))
    assert raised.value.retryable is False and "HTTP 403" in raised.value.message


def test_a_server_error_is_retried_later(totalmobile_connection, fake_totalmobile):
    adapter = adapter_for(totalmobile_connection)
    adapter.world_id()
    fake_totalmobile.down = True
    with pytest.raises(SchedulerError) as raised:
        adapter.book(JOB, SLOT)
    assert raised.value.retryable is True


def test_moving_a_visit_is_not_offered_without_a_public_basis(totalmobile_connection):
    adapter = adapter_for(totalmobile_connection)
    assert not adapter.can(Capability.RESCHEDULE)
    with pytest.raises(SchedulerError) as raised:
        adapter.reschedule(JOB, Booking("RO-42", BookingStatus.BOOKED), SLOT)
    assert raised.value.retryable is False


# --- inbound ------------------------------------------------------------------------------------------


def test_a_submitted_form_result_completes_the_job(totalmobile_connection):
    body = (GOLDEN / "totalmobile_submit_form_result.json").read_bytes()
    [update] = adapter_for(totalmobile_connection).parse_inbound(body, "application/json")
    assert (update.kind, update.job_reference, update.operative) == ("completed", "RO-42", "jo.joiner")
    assert "Job Complete" in update.note


def test_a_council_can_say_which_forms_mean_no_access(totalmobile_connection):
    totalmobile_connection.options = {"form_updates": {"No Access Card": "no_access"}}
    body = golden("submit_form_result")
    body["result"]["form"]["reference"] = "No Access Card"
    [update] = adapter_for(totalmobile_connection).parse_inbound(json.dumps(body).encode())
    assert update.kind == "no_access"


def test_a_visit_confirms_the_booking_with_its_operative_and_time(totalmobile_connection):
    body = (GOLDEN / "totalmobile_create_visit.json").read_bytes()
    [update] = adapter_for(totalmobile_connection).parse_inbound(body, "application/json")
    assert (update.kind, update.job_reference, update.operative) == ("confirmed", "RO-42", "jo.joiner")
    assert (update.slot.start, update.slot.end) == (SLOT.start, SLOT.end)


def test_keys_are_read_in_either_case_as_the_published_samples_spell_them(totalmobile_connection):
    body = {"Visit": {"Identity": {"Reference": "RO-42", "User": {"Name": "jo.joiner"}}}}
    [update] = adapter_for(totalmobile_connection).parse_inbound(json.dumps(body).encode())
    assert (update.job_reference, update.operative, update.slot) == ("RO-42", "jo.joiner", None)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"<xml/>", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"identity": {"reference": "RO-42"}, "visitStatus": "Arrived"}', "is not a form result"),
        (b'{"result": {"association": {}}}', "no job reference"),
        (b'{"visit": {"identity": {"user": {"name": "jo"}}}}', "no job reference"),
        (
            b'{"visit": {"identity": {"reference": "RO-1"}, "schedule": {"startDate": "a", "endDate": "b"}}}',
            "cannot read",
        ),
    ],
)
def test_a_push_we_cannot_read_is_a_clear_refusal_not_to_retry(totalmobile_connection, body, says):
    with pytest.raises(SchedulerError) as raised:
        adapter_for(totalmobile_connection).parse_inbound(body, "application/json")
    assert raised.value.retryable is False and says in raised.value.message


def test_pushes_are_answered_in_plain_text_as_the_public_receiver_does(totalmobile_connection):
    adapter = adapter_for(totalmobile_connection)
    assert adapter.inbound_response(True) == (b"ok", "text/plain; charset=utf-8", 200)
    body, _type, status = adapter.inbound_response(False, "No job RO-9.")
    assert (body, status) == (b"No job RO-9.", 400)


def test_the_world_is_found_in_the_worlds_golden_shape(totalmobile_connection, fake_totalmobile):
    fake_totalmobile.worlds = {world["identity"]["reference"]: world["id"] for world in golden("worlds")}
    assert adapter_for(totalmobile_connection).world_id() == "5b0f3c1e-2a47-4d8e-9a61-0c2f7d4e8b13"
