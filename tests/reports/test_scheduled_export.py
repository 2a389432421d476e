"""The nightly export: files written through the storage API, only what changed since the last good run,
and every run, good or failed, shown in the admin."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.test import Client, override_settings
from django.urls import reverse

from reports.models import ExportRun
from reports.tasks import export_for_hms
from tests.repairs.factories import JobFactory
from tests.workflows.factories import user_in_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def export_folder(tmp_path):
    stores = dict(settings.STORAGES)
    stores["reports_exports"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)},
    }
    with override_settings(STORAGES=stores):
        yield tmp_path


def job_ids(name: str) -> list[int]:
    with storages["reports_exports"].open(name) as file:
        text = file.read().decode("utf-8-sig")
    return [int(row["job_id"]) for row in csv.DictReader(io.StringIO(text))]


def test_beat_runs_the_export_nightly() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["reports-export-for-hms"]
    assert entry["task"] == "reports.tasks.export_for_hms"


def test_the_first_run_writes_every_job_and_records_itself(export_folder, service) -> None:
    run = ExportRun.objects.get(pk=export_for_hms.delay().get())
    assert run.status == ExportRun.Status.SUCCEEDED and run.changed_since is None
    names = {f["export"]: f["name"] for f in run.files}
    assert set(names) == {"jobs", "reports", "costs"}
    assert len(job_ids(names["jobs"])) == 12  # A to L
    assert (export_folder / names["costs"]).exists()
    assert run.rows == 12 + 5 + 6  # every job, every report, the costs of A, B, D, G, I and J


def test_the_next_run_sends_only_what_changed_since(export_folder, service) -> None:
    first = ExportRun.objects.get(pk=export_for_hms())
    changed = JobFactory()
    second = ExportRun.objects.get(pk=export_for_hms())
    assert second.changed_since == first.started_at
    names = {f["export"]: f["name"] for f in second.files}
    assert job_ids(names["jobs"]) == [changed.pk]
    assert names["jobs"] != {f["export"]: f["name"] for f in first.files}["jobs"]


def test_a_failed_run_is_recorded_with_its_reason(export_folder, service, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise OSError("The export folder is full")

    monkeypatch.setattr(type(storages["reports_exports"]), "save", refuse)
    with pytest.raises(OSError):
        export_for_hms()
    run = ExportRun.objects.get()
    assert run.status == ExportRun.Status.FAILED
    assert run.message == "OSError: The export folder is full"
    assert ExportRun.last_success() is None


def test_the_admin_and_the_reports_page_show_the_last_run(export_folder, service) -> None:
    export_for_hms()
    manager = user_in_role("Repairs managers", is_staff=True)
    client = Client()
    client.force_login(manager)
    admin = client.get(reverse("reports_export_runs:index"))
    assert admin.status_code == 200
    assert "Succeeded" in admin.content.decode()
    page = client.get("/back-office/reports/").content.decode()
    assert "Last scheduled export for finance and the HMS:" in page and "succeeded" in page
