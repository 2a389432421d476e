"""Downloads of jobs, reports and costs: fixed columns, the page's period and filters, escaped text."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from repairs.models import Job
from reports.exports import EXPORTS, cell
from tests.workflows.factories import user_in_role

pytestmark = pytest.mark.django_db
PERIOD = {"start": "30/03/2026", "end": "26/04/2026"}


@pytest.fixture
def manager_client(db) -> Client:
    client = Client()
    client.force_login(user_in_role("Repairs managers", is_staff=True))
    return client


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_jobs_csv_holds_jobs_raised_in_the_period_with_fixed_columns(service, manager_client) -> None:
    response = manager_client.get("/back-office/reports/export/jobs.csv", PERIOD)
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="jobs-v1-2026-03-30-to-2026-04-26.csv"'
    rows = read_csv(response)
    assert list(rows[0]) == EXPORTS["jobs"].headers
    # Raised in the period: A, B, C, D, E, F (merged, kept so the HMS can close it), G, H, K.
    expected = [
        service.b,
        service.a,
        service.k,
        service.d,
        service.c,
        service.e,
        service.f,
        service.g,
        service.h,
    ]
    assert sorted(int(r["job_id"]) for r in rows) == sorted(j.pk for j in expected)
    d = next(r for r in rows if int(r["job_id"]) == service.d.pk)
    assert d["completed_at"] == "2026-04-17T12:00:00+01:00"
    assert d["state"] == "closed" and d["actual_cost"] == "50.00"


def test_the_costs_export_follows_the_filters(service, manager_client) -> None:
    response = manager_client.get(
        "/back-office/reports/export/costs.csv", PERIOD | {"estate": service.estate_1.pk}
    )
    rows = read_csv(response)
    assert sorted(int(r["job_id"]) for r in rows) == sorted([service.a.pk, service.b.pk, service.d.pk])
    a = next(r for r in rows if int(r["job_id"]) == service.a.pk)
    assert (a["estate_name"], a["sor_code"], a["sor_unit_cost"], a["actual_cost"]) == (
        "Northfield",
        "PL001",
        "80.00",
        "100.00",
    )


def test_the_reports_export_leaves_out_contact_details(service, manager_client) -> None:
    rows = read_csv(manager_client.get("/back-office/reports/export/reports.csv", PERIOD))
    assert len(rows) == 5
    assert "contact_name" not in rows[0]
    assert all("Sam Resident" not in value for row in rows for value in row.values())


def test_the_xlsx_holds_the_same_rows_as_the_csv(service, manager_client) -> None:
    response = manager_client.get("/back-office/reports/export/costs.xlsx", PERIOD)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    values = list(sheet.values)
    assert list(values[0]) == EXPORTS["costs"].headers
    assert len(values) == 1 + 5  # A, B, D, G, I


def test_text_a_spreadsheet_would_run_is_escaped(service, manager_client) -> None:
    Job.objects.filter(pk=service.a.pk).update(description="x")
    service.a.assignee = None
    assert cell('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    assert [cell(v) for v in ("+1", "-2", "@SUM(A1)", "\tx", "plain")] == [
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "plain",
    ]
    from properties.models import CommunalArea

    CommunalArea.objects.filter(pk=service.lift_area.pk).update(name="=cmd|' /C calc'!A0")
    rows = read_csv(manager_client.get("/back-office/reports/export/jobs.csv", PERIOD))
    e = next(r for r in rows if int(r["job_id"]) == service.e.pk)
    assert e["communal_area_name"] == "'=cmd|' /C calc'!A0"


def test_an_unknown_export_is_not_found_and_bad_dates_are_refused(service, manager_client) -> None:
    assert manager_client.get("/back-office/reports/export/tenants.csv").status_code == 404
    assert manager_client.get("/back-office/reports/export/jobs.pdf").status_code == 404
    response = manager_client.get("/back-office/reports/export/jobs.csv", {"start": "not a date"})
    assert response.status_code == 400
    assert "Check the dates" in response.content.decode()
