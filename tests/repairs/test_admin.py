"""The Wagtail admin: reference data is editable, jobs and reports are read-only, SoR codes upload."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from repairs.models import Job, SorCode
from tests.properties.factories import CommunalAreaFactory
from tests.workflows.factories import UserFactory
from workflows.services import transition_job

from .reporting import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="admin", is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtailsnippets_repairs_trade:list",
        "wagtailsnippets_repairs_priority:list",
        "wagtailsnippets_repairs_sorcode:list",
        "wagtailsnippets_repairs_workteam:list",
        "wagtailsnippets_workflows_closureday:list",
        "repair_jobs:index",
        "repair_reports:index",
        "repairs_sor_import",
    ],
)
def test_admin_page_opens(admin_client, url_name):
    assert admin_client.get(reverse(url_name)).status_code == 200


def test_priority_target_is_editable_in_the_admin(admin_client):
    from repairs.models import Priority

    urgent = Priority.objects.get(code="UR")
    url = reverse("wagtailsnippets_repairs_priority:edit", args=[urgent.pk])

    response = admin_client.post(
        url,
        {
            "name": "Urgent",
            "code": "UR",
            "target_value": "3",
            "target_unit": "working_days",
            "sort_order": "30",
        },
    )

    assert response.status_code == 302
    urgent.refresh_from_db()
    assert urgent.target_value == 3


def test_job_inspect_view_shows_reports_and_history(admin_client):
    made = report(communal_area=CommunalAreaFactory())
    transition_job(made.job, "triage", by=None, note="Checked the lift company's log")

    response = admin_client.get(reverse("repair_jobs:inspect", args=[made.job.pk]))

    content = response.content.decode()
    assert made.reference in content
    assert "Checked the lift company&#x27;s log" in content
    assert "Triaged" in content


def test_jobs_cannot_be_added_or_edited_in_the_admin(admin_client):
    job = report(communal_area=CommunalAreaFactory()).job

    assert admin_client.get(reverse("repair_jobs:add")).status_code != 200
    assert admin_client.get(reverse("repair_jobs:edit", args=[job.pk])).status_code != 200
    assert admin_client.post(reverse("repair_jobs:delete", args=[job.pk])).status_code != 200
    assert Job.objects.filter(pk=job.pk).exists()


def test_report_inspect_view_never_shows_the_status_token(admin_client):
    made = report(communal_area=CommunalAreaFactory())

    response = admin_client.get(reverse("repair_reports:inspect", args=[made.pk]))

    assert response.status_code == 200
    assert made.status_token not in response.content.decode()


def sor_upload(rows: str, *, dry_run: bool) -> dict:
    header = "code,description,trade,size,standard_minutes,unit_cost\n"
    data = {"file": SimpleUploadedFile("sor.csv", (header + rows).encode(), content_type="text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return data


def test_sor_upload_imports_a_clean_file(admin_client):
    response = admin_client.post(
        reverse("repairs_sor_import"), sor_upload("LOC-1,Renew tap,PL,S,45,20\n", dry_run=False)
    )

    assert "Created 1" in response.content.decode()
    assert SorCode.objects.filter(code="LOC-1").exists()


def test_sor_upload_check_only_saves_nothing(admin_client):
    response = admin_client.post(
        reverse("repairs_sor_import"), sor_upload("LOC-1,Renew tap,PL,S,45,20\n", dry_run=True)
    )

    assert "Would create 1" in response.content.decode()
    assert not SorCode.objects.exists()


def test_sor_upload_lists_problems_by_line(admin_client):
    response = admin_client.post(
        reverse("repairs_sor_import"),
        sor_upload("LOC-1,Renew tap,PL,S,45,20\nLOC-2,Renew,ZZ,S,45,20\n", dry_run=False),
    )

    content = response.content.decode()
    assert "Line 3: trade &#x27;ZZ&#x27; is not a trade code" in content
    assert not SorCode.objects.exists()


def test_sor_upload_is_refused_without_permission(client):
    client.force_login(UserFactory(username="viewer"))

    response = client.get(reverse("repairs_sor_import"))

    assert response.status_code in {302, 403}


def test_group_editor_offers_the_transition_permissions(admin_client):
    from django.contrib.auth.models import Group

    contractors = Group.objects.get(name="Contractors")

    response = admin_client.get(reverse("wagtailusers_groups:edit", args=[contractors.pk]))

    content = response.content.decode()
    assert "Can triage a job" in content
    assert "Can complete a job" in content


def test_repairs_manager_may_edit_priority_targets_in_the_admin(client):
    from repairs.models import Priority
    from tests.workflows.factories import user_in_role

    client.force_login(user_in_role("Repairs managers"))
    urgent = Priority.objects.get(code="UR")

    assert client.get(reverse("wagtailsnippets_repairs_priority:edit", args=[urgent.pk])).status_code == 200
    assert client.get(reverse("repair_jobs:index")).status_code == 200


def test_contractor_may_not_edit_priorities(client):
    from repairs.models import Priority
    from tests.workflows.factories import user_in_role

    client.force_login(user_in_role("Contractors"))
    urgent = Priority.objects.get(code="UR")

    assert client.get(reverse("wagtailsnippets_repairs_priority:edit", args=[urgent.pk])).status_code != 200
