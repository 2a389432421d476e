"""Each back-office page answers staff, and only staff."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.backoffice.conftest import signed_in
from tests.repairs.factories import JobFactory, ReportFactory
from tests.workflows.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_signed_out_visitors_are_sent_to_the_admin_login() -> None:
    response = Client().get("/back-office/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_signed_in_user_who_is_not_staff_is_refused() -> None:
    response = signed_in(UserFactory(is_staff=False)).get("/back-office/")
    assert response.status_code == 403


def test_the_queue_lists_jobs_with_a_link_to_each(manager_client) -> None:
    job = JobFactory()
    response = manager_client.get("/back-office/")
    assert response.status_code == 200
    assert f'href="/back-office/jobs/{job.pk}/"' in response.content.decode()


def test_the_job_page_shows_reporters_contact_details_to_staff(manager_client) -> None:
    report = ReportFactory(contact_name="Pat Caller", contact_phone="07700 900123")
    body = manager_client.get(f"/back-office/jobs/{report.job_id}/").content.decode()
    assert "Pat Caller" in body and "07700 900123" in body and report.reference in body


def test_the_property_page_shows_the_home_and_its_repairs(manager_client) -> None:
    job = JobFactory(actual_cost="125.50")
    body = manager_client.get(f"/back-office/properties/{job.property_id}/").content.decode()
    assert job.property.address_line_1 in body
    assert "£125.50" in body


def test_the_property_page_runs_the_same_queries_for_10_and_1000_jobs(manager_client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from repairs.models import Job

    first = JobFactory()
    home = first.property

    def add(count: int) -> None:
        Job.objects.bulk_create(
            Job(property=home, trade=first.trade, priority=first.priority, description="Drip")
            for _ in range(count)
        )

    add(9)
    with CaptureQueriesContext(connection) as small:
        assert manager_client.get(f"/back-office/properties/{home.pk}/").status_code == 200
    add(990)
    with CaptureQueriesContext(connection) as large:
        assert manager_client.get(f"/back-office/properties/{home.pk}/").status_code == 200
    assert len(large) == len(small)
