# ruff: noqa: F811 (the `world` fixture is imported, and test arguments name it)
from __future__ import annotations

import pytest

from repairs.models import Report
from tests.repairs.test_journey_fixtures import walk_in_home, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_an_in_home_leak_is_reported_and_booked(client, world) -> None:
    key = walk_in_home(client, world)
    assert key
    check = client.get("/repairs/report/check-your-answers/")
    assert check.status_code == 200
    token = check.context["submission"]
    response = client.post("/repairs/report/check-your-answers/", {"submission": token})
    assert response.status_code == 302, response.content[:3000]
    report = Report.objects.get()
    assert report.job.appointments.get().starts_at
    confirmation = client.get(response["Location"])
    assert report.reference in confirmation.content.decode()
