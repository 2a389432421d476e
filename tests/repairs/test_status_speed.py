"""The status page served whole from the cache: no query on a repeat view, never stale, never another's.

A repeat anonymous view is answered from the stored page of its link; these tests check that it costs
no query and no session, carries this response's own CSP nonce, and that anything the page shows
(a public event, the appointment, a withdrawn report, the contact settings) is shown on the next view.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from repairs import status_cache
from repairs.models import Job, Report
from scheduling.models import Appointment, AppointmentStatus, SchedulerKind
from tests.repairs.factories import CommunalJobFactory, ReportFactory
from tests.scheduling.factories import ConnectionFactory
from workflows.intake import withdraw_report
from workflows.services import merge_jobs, record_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def url(report: Report) -> str:
    return f"/repairs/status/{report.status_token}/"


def queries(client: Client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as seen:
        response = client.get(path)
    assert response.status_code == 200
    return len(seen), response.content.decode()


def test_a_repeat_view_costs_no_query_and_no_session_and_keeps_noindex() -> None:
    report = ReportFactory()
    client = Client()
    first, _ = queries(client, url(report))
    repeat, html = queries(client, url(report))
    assert first > 0
    assert repeat == 0
    assert report.reference in html
    response = client.get(url(report))
    assert response["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies and "sessionid" not in client.cookies
    for private in ("Sam Resident", "sam@example.invalid"):
        assert private not in html


def test_each_cached_response_carries_its_own_csp_nonce() -> None:
    report = ReportFactory()
    client = Client()
    client.get(url(report))
    nonces = []
    for _ in range(2):
        response = client.get(url(report))
        page_nonces = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
        assert len(page_nonces) == 1
        nonce = page_nonces.pop()
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    assert "cms-page-cache" not in response.content.decode()


def test_the_queries_of_a_first_view_do_not_grow_with_the_history() -> None:
    report = ReportFactory()
    client = Client()
    client.get(url(report))  # warms what every page reads (the site, its settings, the navigation)
    status_cache.drop(report.job_id)
    short, _ = queries(client, url(report))
    for n in range(20):
        record_event(report.job, "visit_note", public=True, public_note=f"Note {n}")
    long, html = queries(client, url(report))
    assert "Note 19" in html
    assert long == short
    assert queries(client, url(report))[0] == 0


def test_a_new_public_event_shows_on_the_next_view() -> None:
    report = ReportFactory()
    client = Client()
    client.get(url(report))
    assert queries(client, url(report))[0] == 0
    record_event(report.job, "visit_note", public=True, public_note="Parts ordered for Friday")
    assert "Parts ordered for Friday" in client.get(url(report)).content.decode()


def test_an_appointment_change_shows_on_the_next_view() -> None:
    report = ReportFactory()
    client = Client()
    assert "Add the appointment to your calendar" not in client.get(url(report)).content.decode()
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    appointment = Appointment.objects.create(
        job=report.job,
        connection=ConnectionFactory(),
        adapter_key=SchedulerKind.BUILTIN,
        status=AppointmentStatus.BOOKED,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=4),
    )
    booked = client.get(url(report)).content.decode()
    assert "Add the appointment to your calendar" in booked
    assert "Change the appointment" in booked
    appointment.status = AppointmentStatus.CANCELLED
    appointment.save()
    cancelled = client.get(url(report)).content.decode()
    assert "Add the appointment to your calendar" not in cancelled
    assert "Change the appointment" not in cancelled


def test_a_withdrawn_report_shows_on_the_next_view() -> None:
    report = ReportFactory()
    client = Client()
    assert "Cancel this report" in client.get(url(report)).content.decode()
    withdraw_report(report)
    html = client.get(url(report)).content.decode()
    assert "You cancelled your report of this repair." in html
    assert "Cancel this report" not in html


def test_one_reporters_page_never_shows_anothers_reference_or_actions() -> None:
    job = CommunalJobFactory()
    first = ReportFactory(job=job)
    second = ReportFactory(job=job, contact_name="Alex Neighbour", contact_email="alex@example.invalid")
    client = Client()
    for _ in range(2):  # the first view stores each page; the second is served from the cache
        for mine, theirs in ((first, second), (second, first)):
            html = client.get(url(mine)).content.decode()
            assert mine.reference in html and theirs.reference not in html
            assert mine.status_token in html and theirs.status_token not in html
    withdraw_report(second)
    assert "You cancelled your report" in client.get(url(second)).content.decode()
    html = client.get(url(first)).content.decode()
    assert "You cancelled your report" not in html
    assert "Cancel this report" in html


def test_the_done_message_is_kept_apart_from_the_plain_page() -> None:
    report = ReportFactory()
    client = Client()
    assert "Your report has been cancelled." in client.get(url(report) + "?done=withdrawn").content.decode()
    plain = client.get(url(report)).content.decode()
    assert "Your report has been cancelled." not in plain
    assert "Success" not in client.get(url(report) + "?done=anything").content.decode()


def test_a_report_merged_into_another_job_follows_it_on_the_next_view() -> None:
    report = ReportFactory()
    into = ReportFactory(job__property=report.job.property, job__trade=report.job.trade).job
    client = Client()
    client.get(url(report))
    merge_jobs(report.job, into, by=None)
    record_event(into, "visit_note", public=True, public_note="Seen on the surviving job")
    assert "Seen on the surviving job" in client.get(url(report)).content.decode()
    assert Report.objects.get(pk=report.pk).job_id == into.pk


def test_contact_settings_changes_show_on_the_next_view() -> None:
    from wagtail.models import Site

    from cms.models import ContactSettings

    report = ReportFactory()
    client = Client()
    client.get(url(report))
    settings = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    settings.repairs_phone = "0300 123 9999"
    settings.save()
    assert "0300 123 9999" in client.get(url(report)).content.decode()


def test_a_signed_in_user_is_never_served_or_stored_from_the_cache(django_user_model) -> None:
    report = ReportFactory()
    staff = Client()
    staff.force_login(django_user_model.objects.create_user("officer", password="x"))
    staff.get(url(report))
    assert any("repairs_report" in q for q in staff_repeat_sql(staff, url(report)))
    anonymous = Client()
    assert queries(anonymous, url(report))[0] > 0  # the signed-in views stored nothing
    assert queries(anonymous, url(report))[0] == 0


def staff_repeat_sql(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as seen:
        client.get(path)
    return [q["sql"] for q in seen.captured_queries]


def test_an_unknown_link_is_not_found() -> None:
    assert Client().get("/repairs/status/not-a-token/").status_code == 404
    assert not Job.objects.exists()
