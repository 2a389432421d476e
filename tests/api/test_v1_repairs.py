"""The common repairs API: addresses, appointments, booking, status, change and cancel, and its errors."""

from __future__ import annotations

import datetime

import pytest

from repairs.models import Channel, Job, Report
from scheduling.models import AppointmentStatus
from tests.properties.factories import AlertFactory, PropertyFactory
from tests.scheduling.conftest import next_monday

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def book_body(address_id: str, *, slot: dict | None = None, **changes) -> dict:
    body = {
        "address_id": address_id,
        "repair": {"trade": "PL", "priority": "RO", "size": "S", "description": "Tap drips in the kitchen"},
        "contact": {"name": "Sam Resident", "email": "sam@example.invalid", "updates": "email"},
        "slot": slot,
    }
    body.update(changes)
    return body


def first_slot(client, bearer, address_id: str) -> dict:
    week = next_monday().date().isoformat()
    answer = client.get(
        "/api/v1/appointments",
        {"address_id": address_id, "trade": "PL", "priority": "RO", "week_starting": week},
        **bearer,
    ).json()
    assert answer["bookable_online"] is True and answer["slots"], answer
    slot = answer["slots"][0]
    return {"start": slot["start"], "end": slot["end"]}


def same_time(first: str, second: str) -> bool:
    return datetime.datetime.fromisoformat(first) == datetime.datetime.fromisoformat(second)


def post(client, bearer, body, **headers):
    return client.post("/api/v1/repairs", body, content_type="application/json", **bearer, **headers)


def test_addresses_list_homes_communal_areas_and_why_others_are_not_repaired(client, register, bearer):
    leasehold = PropertyFactory(postcode="AA1 1AB", tenure="leasehold", council_repairs=False)
    answer = client.get("/api/v1/addresses", {"postcode": "aa1 1ab"}, **bearer)
    assert answer.status_code == 200
    data = answer.json()
    assert [home["address"].split(",")[0] for home in data["homes"]] == ["Flat 2", "Flat 12"]
    assert data["communal_areas"] == [
        {"address_id": f"communal-{register['lift'].pk}", "name": "Lift A", "building": "Kestrel House"}
    ]
    assert data["not_repaired"][0]["property_reference"] == leasehold.property_ref
    assert "Leasehold" in data["not_repaired"][0]["reason"]


@pytest.mark.parametrize(
    ("postcode", "status", "kind"),
    [("not a postcode", 422, "invalid-postcode"), ("AA9 9ZZ", 404, "postcode-not-found")],
)
def test_a_bad_or_unknown_postcode_gets_a_problem(client, register, bearer, postcode, status, kind):
    answer = client.get("/api/v1/addresses", {"postcode": postcode}, **bearer)
    assert answer.status_code == status and answer["Content-Type"] == PROBLEM
    assert answer.json()["type"].endswith(kind) and answer.json()["status"] == status


def test_appointments_come_a_week_at_a_time_with_the_next_week(client, register, bearer):
    home = register["homes"][0]
    week = next_monday().date()
    answer = client.get(
        "/api/v1/appointments",
        {"address_id": home.property_ref, "trade": "PL", "priority": "RO", "week_starting": week.isoformat()},
        **bearer,
    ).json()
    assert answer["week_starting"] == week.isoformat()
    assert answer["next_week_starting"] == (week + datetime.timedelta(days=7)).isoformat()
    starts = [datetime.datetime.fromisoformat(slot["start"]).date() for slot in answer["slots"]]
    assert starts and all(week <= day < week + datetime.timedelta(days=7) for day in starts)


def test_a_home_with_a_cautionary_alert_gets_no_slots_and_no_reason(client, register, bearer):
    home = register["homes"][0]
    AlertFactory(property=home, description="Aggressive dog")
    answer = client.get(
        "/api/v1/appointments", {"address_id": str(home.uprn), "trade": "PL", "priority": "RO"}, **bearer
    ).json()
    assert answer["bookable_online"] is False and answer["slots"] == []
    assert answer["arrangement"] == "arranged_by_us" and "dog" not in answer["message"].lower()


def test_booking_a_repair_returns_the_reference_and_the_appointment(client, register, bearer):
    home = register["homes"][0]
    slot = first_slot(client, bearer, home.property_ref)
    answer = post(client, bearer, book_body(home.property_ref, slot=slot))
    assert answer.status_code == 201, answer.content
    data = answer.json()
    report = Report.objects.get(reference=data["reference"])
    assert report.channel == Channel.API and report.job.channel == Channel.API
    assert data["outcome"] == "booked" and data["appointment"]["status"] == AppointmentStatus.BOOKED
    assert same_time(data["appointment"]["start"], slot["start"])
    assert data["status_url"] == f"/repairs/status/{report.status_token}/"
    assert client.get(data["status_url"]).status_code == 200


def test_a_retried_booking_with_the_same_idempotency_key_makes_one_report(client, register, bearer):
    body = book_body(register["homes"][0].property_ref)
    first = post(client, bearer, body, HTTP_IDEMPOTENCY_KEY="retry-1")
    again = post(client, bearer, body, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == again.status_code == 201
    assert again.json()["reference"] == first.json()["reference"] and again["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1
    changed = post(client, bearer, {**body, "access_notes": "Key next door"}, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert changed.status_code == 422 and changed.json()["type"].endswith("idempotency-key-reused")
    unreadable = post(client, bearer, body, HTTP_IDEMPOTENCY_KEY="retry\x07")
    assert unreadable.status_code == 422 and unreadable.json()["type"].endswith("invalid-idempotency-key")
    assert Report.objects.count() == 1


def test_a_retried_booking_of_a_slot_replays_the_same_appointment(client, register, bearer):
    home = register["homes"][0]
    body = book_body(home.property_ref, slot=first_slot(client, bearer, home.property_ref))
    first = post(client, bearer, body, HTTP_IDEMPOTENCY_KEY="slot-retry")
    again = post(client, bearer, body, HTTP_IDEMPOTENCY_KEY="slot-retry")
    assert first.status_code == again.status_code == 201, first.content
    assert again["Idempotent-Replayed"] == "true"
    assert same_time(again.json()["appointment"]["start"], first.json()["appointment"]["start"])
    assert again.json()["reference"] == first.json()["reference"] and Report.objects.count() == 1


def test_a_slot_taken_meanwhile_is_a_conflict_and_saves_nothing(client, register, bearer):
    homes = register["homes"]
    slot = first_slot(client, bearer, homes[0].property_ref)
    whole_slot = {"trade": "PL", "priority": "RO", "size": "L", "description": "New bathroom suite"}
    booked = post(client, bearer, book_body(homes[0].property_ref, slot=slot, repair=whole_slot))
    assert booked.status_code == 201
    taken = post(client, bearer, book_body(homes[1].property_ref, slot=slot, repair=whole_slot))
    assert taken.status_code == 409 and taken["Content-Type"] == PROBLEM
    assert taken.json()["type"].endswith("slot-unavailable")
    assert Report.objects.count() == 1 and Job.objects.count() == 1


def test_a_communal_report_joins_the_open_job_for_that_area(client, register, bearer):
    area_id = f"communal-{register['lift'].pk}"
    lift = {"trade": "LF", "priority": "RO", "size": "S", "description": "Lift stuck"}
    first = post(client, bearer, book_body(area_id, repair=lift)).json()
    second = post(
        client, bearer, book_body(area_id, repair=lift, contact={"name": "Neighbour", "updates": "none"})
    ).json()
    assert second["outcome"] == "joined" and second["reference"] != first["reference"]
    assert Job.objects.count() == 1 and Report.objects.count() == 2


def test_status_shows_the_public_timeline_and_nothing_personal(client, register, bearer):
    data = post(client, bearer, book_body(register["homes"][0].property_ref)).json()
    answer = client.get(f"/api/v1/repairs/{data['reference'].lower()}", **bearer)
    assert answer.status_code == 200
    status = answer.json()
    assert status["reference"] == data["reference"] and status["is_open"] is True
    assert status["timeline"][0]["title"] == "Repair reported"
    assert "Sam" not in answer.content.decode() and "example.invalid" not in answer.content.decode()


def test_an_unknown_reference_is_not_found(client, register, bearer):
    answer = client.get("/api/v1/repairs/RP-ZZZZZZ", **bearer)
    assert answer.status_code == 404 and answer.json()["type"].endswith("unknown-reference")


def test_the_appointment_is_changed_then_cancelled(client, register, bearer):
    home = register["homes"][0]
    week = next_monday().date().isoformat()
    slots = client.get(
        "/api/v1/appointments",
        {"address_id": home.property_ref, "trade": "PL", "priority": "RO", "week_starting": week},
        **bearer,
    ).json()["slots"]
    first, second = ({"start": s["start"], "end": s["end"]} for s in slots[:2])
    reference = post(client, bearer, book_body(home.property_ref, slot=first)).json()["reference"]
    url = f"/api/v1/repairs/{reference}/appointment"
    moved = client.put(url, second, content_type="application/json", **bearer)
    assert moved.status_code == 200, moved.content
    assert same_time(moved.json()["start"], second["start"])
    assert client.delete(f"/api/v1/repairs/{reference}/appointment", **bearer).status_code == 204
    status = client.get(f"/api/v1/repairs/{reference}", **bearer).json()
    assert status["appointment"] is None
    assert [e["title"] for e in status["timeline"]][-1] == "Appointment cancelled"
    again = client.delete(f"/api/v1/repairs/{reference}/appointment", **bearer)
    assert again.status_code == 409 and again.json()["type"].endswith("no-appointment")


def test_oversized_and_malformed_fields_get_the_documented_problem(client, register, bearer):
    body = book_body(register["homes"][0].property_ref)
    body["repair"]["description"] = "x" * 1001
    answer = post(client, bearer, body)
    assert answer.status_code == 422 and answer["Content-Type"] == PROBLEM
    assert answer.json()["errors"][0]["location"].endswith("repair.description")
    garbled = client.post("/api/v1/repairs", "{not json", content_type="application/json", **bearer)
    assert garbled.status_code in (400, 422) and garbled["Content-Type"] == PROBLEM
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "kind"),
    [
        ({"address_id": "no-such-home"}, "unknown-address"),
        ({"repair": {"trade": "ZZ", "priority": "RO", "description": "x"}}, "unknown-trade"),
        ({"contact": {"name": "Sam", "phone": "12", "updates": "none"}}, "invalid-contact"),
    ],
)
def test_unknown_codes_and_bad_contacts_are_refused(client, register, bearer, changes, kind):
    answer = post(client, bearer, {**book_body(register["homes"][0].property_ref), **changes})
    assert answer.status_code in (404, 422) and answer.json()["type"].endswith(kind)
    assert Report.objects.count() == 0


def test_a_nul_character_is_refused_before_it_reaches_the_database(client, register, bearer):
    by_path = client.get("/api/v1/repairs/RP-%00", **bearer)
    body = book_body(register["homes"][0].property_ref)
    body["repair"]["description"] = "Tap\x00drips"
    by_body = post(client, bearer, body)
    open311 = client.get("/open311/v2/requests.json", {"service_request_id": "RP-\x00"})
    assert by_path.status_code == by_body.status_code == 422
    assert by_body.json()["type"].endswith("invalid-characters")
    assert open311.status_code == 400 and "NUL" in open311.json()[0]["description"]
    assert Report.objects.count() == 0
