# ruff: noqa: F811 (the `world` fixture is imported, and test arguments name it)
"""The public status page: plain words, no personal data, noindex, rate-limited look-up, cached content."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from repairs import status_cache
from repairs.models import Report
from scheduling.models import Appointment
from tests.repairs.test_journey_fixtures import POSTCODE, walk_in_home, world  # noqa: F401
from workflows.services import record_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def reported(client, world, **kwargs) -> Report:
    walk_in_home(client, world, **kwargs)
    token = client.get("/repairs/report/check-your-answers/").context["submission"]
    client.post("/repairs/report/check-your-answers/", {"submission": token})
    return Report.objects.latest("id")


def test_the_status_page_says_where_the_repair_is_up_to_and_nothing_personal(client, world) -> None:
    report = reported(client, world)
    response = client.get(f"/repairs/status/{report.status_token}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Booked: a visit is arranged." in html
    assert report.reference in html
    assert "Add the appointment to your calendar" in html
    for private in ("Sam Resident", "sam@example.invalid", "Key safe", "Flat 1"):
        assert private not in html
    assert response["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_an_unknown_token_is_not_found(client, world) -> None:
    assert client.get("/repairs/status/not-a-token/").status_code == 404


def test_a_wrong_reference_and_a_wrong_postcode_get_the_same_answer(client, world) -> None:
    report = reported(client, world)
    wrong_reference = client.post("/repairs/status/", {"reference": "RP-222222", "postcode": POSTCODE})
    wrong_postcode = client.post("/repairs/status/", {"reference": report.reference, "postcode": "AA9 9ZZ"})
    assert wrong_reference.status_code == wrong_postcode.status_code == 400
    assert wrong_reference.context["not_found"] == wrong_postcode.context["not_found"]
    right = client.post("/repairs/status/", {"reference": report.reference.lower(), "postcode": "aa11ab"})
    assert right["Location"] == f"/repairs/status/{report.status_token}/"


def test_looking_up_references_is_rate_limited_per_client_address(client, world) -> None:
    for _ in range(10):
        client.post("/repairs/status/", {"reference": "RP-222222", "postcode": POSTCODE})
    blocked = client.post("/repairs/status/", {"reference": "RP-222222", "postcode": POSTCODE})
    assert blocked.status_code == 429
    other = client.post(
        "/repairs/status/", {"reference": "RP-222222", "postcode": POSTCODE}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 400


def test_the_status_page_runs_the_same_queries_however_long_the_history(client, world) -> None:
    report = reported(client, world)
    url = f"/repairs/status/{report.status_token}/"
    client.get(url)  # warms what every page reads (the site, its settings, the navigation)
    status_cache.drop(report.job_id)
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for n in range(30):
        record_event(report.job, "appointment_moved", public=True, public_note=f"Moved {n}")
    with CaptureQueriesContext(connection) as long:
        assert "Moved 29" in client.get(url).content.decode()
    assert len(long) == len(short)


def test_the_status_content_is_cached_and_dropped_when_an_event_is_recorded(client, world) -> None:
    report = reported(client, world)
    url = f"/repairs/status/{report.status_token}/"
    client.get(url)
    assert status_cache.get(report.job_id) is not None
    with CaptureQueriesContext(connection) as miss:
        status_cache.drop(report.job_id)
        client.get(url)
    with CaptureQueriesContext(connection) as hit:
        client.get(url)
    assert len(hit) < len(miss)
    assert not any("workflows_jobevent" in q["sql"] for q in hit.captured_queries)
    record_event(report.job, "appointment_moved", public=True, public_note="Now on Friday")
    assert status_cache.get(report.job_id) is None
    assert "Now on Friday" in client.get(url).content.decode()


def test_the_resident_changes_then_cancels_the_appointment(client, world) -> None:
    report = reported(client, world)
    before = Appointment.objects.get(job=report.job)
    url = f"/repairs/status/{report.status_token}/"
    page = client.get(url + "appointment/")
    items = [i for i in page.context["radios"]["items"] if i.get("value")]
    new_key = next(i["value"] for i in items if i["value"] != before.starts_at.isoformat())
    response = client.post(url + "appointment/", {"slot": items[-1]["value"]})
    assert response["Location"] == url + "?done=changed"
    moved = Appointment.objects.get(pk=before.pk)
    assert moved.starts_at != before.starts_at or new_key
    assert "Your appointment has been changed." in client.get(response["Location"]).content.decode()
    assert "Are you sure" in client.get(url + "appointment/cancel/").content.decode()
    response = client.post(url + "appointment/cancel/")
    assert response["Location"] == url + "?done=cancelled"
    assert not Appointment.objects.filter(job=report.job, status="booked").exists()
    assert "Choose an appointment" in client.get(url).content.decode()


def test_a_report_made_in_error_can_be_cancelled(client, world) -> None:
    report = reported(client, world)
    url = f"/repairs/status/{report.status_token}/"
    response = client.post(url + "cancel-report/")
    assert response["Location"] == url + "?done=withdrawn"
    report.refresh_from_db()
    assert report.withdrawn_at is not None
    assert "Your report has been cancelled." in client.get(response["Location"]).content.decode()


def test_a_finished_repair_can_be_reported_as_failed(client, world) -> None:
    from workflows.services import transition_job

    report = reported(client, world)
    job = report.job
    for action in ("start_work", "complete"):
        job = transition_job(job, action, by=None)
    url = f"/repairs/status/{report.status_token}/"
    assert "Tell us the repair has failed" in client.get(url).content.decode()
    empty = client.post(url + "not-fixed/", {"description": ""})
    assert empty.status_code == 400 and "Describe what is still wrong" in empty.content.decode()
    too_long = client.post(url + "not-fixed/", {"description": "drip " * 250})
    assert too_long.status_code == 400 and ("drip " * 250).strip() in too_long.content.decode()
    response = client.post(url + "not-fixed/", {"description": "Dripping again"})
    assert response["Location"] == url + "?done=recalled"


def test_an_event_on_a_recall_drops_the_original_jobs_cached_page_without_another_query(
    client, world, django_assert_num_queries
) -> None:
    from workflows.linked_jobs import report_recall
    from workflows.services import transition_job

    report = reported(client, world)
    job = report.job
    for action in ("start_work", "complete"):
        job = transition_job(job, action, by=None)
    report.refresh_from_db()
    recall = report_recall(report, description="Dripping again")
    url = f"/repairs/status/{report.status_token}/"
    client.get(url)
    assert status_cache.get(job.pk) is not None
    with CaptureQueriesContext(connection) as on_the_original:
        record_event(job, "visit_note", public=True, public_note="A note on the first job")
    queries_for_an_event = len(on_the_original)  # read now: the next request clears the query log
    client.get(url)
    assert status_cache.get(job.pk) is not None
    with django_assert_num_queries(queries_for_an_event):
        record_event(recall, "visit_note", public=True, public_note="Visit on Friday 8am to 12pm")
    assert status_cache.get(job.pk) is None
    assert "Visit on Friday 8am to 12pm" in client.get(url).content.decode()
