"""Personal data: removed a set time after a job ends, exported for one resident, erased on request;
the job and its history stay readable."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Message
from repairs.personal_data import REMOVED, apply_retention, erase_resident, export_resident
from repairs.photos import ReportPhoto
from tests.repairs.factories import JobFactory, ReportFactory
from workflows.models import JobEvent

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def ended_job(state: str = "closed", days_ago: int = 800, **kwargs):
    job = JobFactory(state=state, **kwargs)
    JobEvent.objects.bulk_create(
        [
            JobEvent(
                job=job,
                action="close",
                from_state="completed",
                to_state=state,
                occurred_at=NOW - datetime.timedelta(days=days_ago),
                note="Spoke to resident on 07700 900123",
            )
        ]
    )
    return job


def photo_for(report) -> ReportPhoto:
    photo = ReportPhoto(report=report, original_name="tap.jpg")
    photo.image.save("tap.jpg", ContentFile(b"jpeg bytes"), save=True)
    return photo


def message_for(report, n: int = 1) -> Message:
    return Message.objects.create(
        job=report.job,
        report=report,
        purpose="scheduled",
        audience="reporters",
        channel="email",
        recipient=report.contact_email,
        template_id="t",
        dedupe_key=f"pd-{report.pk}-{n}",
        personalisation={"name": report.contact_name},
        preview=f"Dear {report.contact_name}",
    )


def test_retention_removes_contact_details_photos_and_message_recipients_from_old_ended_jobs(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PERSONAL_DATA_RETENTION_DAYS = 730
    settings.MEDIA_ROOT = tmp_path
    report = ReportFactory(
        job=ended_job(days_ago=800), contact_phone="07700 900123", access_notes="Key safe 1234"
    )
    photo = photo_for(report)
    message = message_for(report)

    assert default_storage.exists(photo.image.name)

    with django_capture_on_commit_callbacks(execute=True):
        removal = apply_retention()

    report.refresh_from_db()
    message.refresh_from_db()
    assert removal.reports == 1 and removal.photos == 1 and removal.messages == 1
    assert report.contact_name == REMOVED
    assert (report.contact_email, report.contact_phone, report.access_notes) == ("", "", "")
    assert report.description == REMOVED
    assert not ReportPhoto.objects.filter(pk=photo.pk).exists()
    assert not default_storage.exists(photo.image.name)
    assert (message.recipient, message.personalisation, message.preview) == (REMOVED, {}, "")


def test_the_job_and_its_history_stay_after_retention(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 730
    job = ended_job(days_ago=800)
    report = ReportFactory(job=job)

    apply_retention()

    job.refresh_from_db()
    report.refresh_from_db()
    assert job.state == "closed" and job.description == "Kitchen tap drips"
    assert job.events.count() == 1
    assert report.reference.startswith("RP-") and report.job_id == job.pk


@pytest.mark.parametrize(
    ("state", "days_ago", "kept"),
    [
        ("closed", 100, True),  # ended, but within the retention period
        ("cancelled", 800, False),
        ("rejected", 800, False),
        ("reported", 800, True),  # still open: the resident is still waiting
        ("completed", 800, True),  # done, not yet closed by the council
    ],
)
def test_retention_applies_only_to_jobs_ended_longer_ago_than_the_setting(settings, state, days_ago, kept):
    settings.PERSONAL_DATA_RETENTION_DAYS = 730
    report = ReportFactory(job=ended_job(state=state, days_ago=days_ago))

    apply_retention()

    report.refresh_from_db()
    assert (report.contact_name == "Sam Resident") is kept


def test_the_export_holds_every_report_and_message_for_the_resident_by_phone_however_typed():
    mine = ReportFactory(contact_phone="07700 900123", contact_email="", access_notes="Dog in garden")
    also_mine = ReportFactory(contact_phone="+44 7700 900123", contact_email="")
    ReportFactory(contact_phone="07700 900999", contact_email="")
    message_for(mine)

    data = export_resident(phone="07700900123")

    assert {r["reference"] for r in data["reports"]} == {mine.reference, also_mine.reference}
    assert data["reports"][0]["access_notes"] == "Dog in garden"
    assert [m["report"] for m in data["messages"]] == [mine.reference]


def test_export_command_writes_json_for_an_email(tmp_path):
    report = ReportFactory(contact_email="Sam@Example.invalid")
    ReportFactory(contact_email="someone.else@example.invalid")
    out = tmp_path / "sar.json"

    call_command("export_personal_data", email="sam@example.invalid", output=str(out))

    data = json.loads(out.read_text())
    assert [r["reference"] for r in data["reports"]] == [report.reference]
    assert data["reports"][0]["contact_email"] == "Sam@Example.invalid"


def test_erasure_removes_one_residents_data_from_open_and_ended_jobs_and_nobody_elses():
    open_report = ReportFactory(contact_email="sam@example.invalid")
    old_report = ReportFactory(job=ended_job(days_ago=5), contact_email="sam@example.invalid")
    other = ReportFactory(job=open_report.job, contact_email="alex@example.invalid", contact_name="Alex")

    removal = erase_resident(email="sam@example.invalid")

    assert removal.reports == 2
    for report in (open_report, old_report):
        report.refresh_from_db()
        assert report.contact_name == REMOVED and report.contact_email == ""
    other.refresh_from_db()
    assert other.contact_name == "Alex"
    assert export_resident(email="sam@example.invalid")["reports"] == []


def test_erase_command_lists_first_and_erases_only_with_yes(capsys):
    report = ReportFactory(contact_email="sam@example.invalid")

    call_command("erase_personal_data", email="sam@example.invalid")
    report.refresh_from_db()
    assert report.contact_name == "Sam Resident"
    assert report.reference in capsys.readouterr().out

    call_command("erase_personal_data", email="sam@example.invalid", yes=True)
    report.refresh_from_db()
    assert report.contact_name == REMOVED


def test_the_status_page_still_works_after_erasure(client):
    report = ReportFactory(contact_email="sam@example.invalid")

    erase_resident(email="sam@example.invalid")

    response = client.get(f"/repairs/status/{report.status_token}/")
    assert response.status_code == 200
    assert REMOVED not in response.content.decode()


def test_the_beat_task_runs_retention(settings):
    from repairs.tasks import apply_retention as task

    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    ReportFactory(job=ended_job(days_ago=31))

    assert task.delay().get() == 1
    assert "repairs-apply-retention" in settings.CELERY_BEAT_SCHEDULE
