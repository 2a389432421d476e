"""Importing from the admin: upload and check, a report by line or a summary, confirm, follow progress."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from properties.models import ImportRun, ImportRunStatus, Property
from properties.services import perform_import_run

from .csv_files import home_row, homes_csv

pytestmark = pytest.mark.django_db


def upload(client, text: str | bytes, name: str = "homes.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(reverse("properties_import:upload"), {"file": SimpleUploadedFile(name, data)})


def test_upload_page_shows_the_form(register_manager):
    response = register_manager.get(reverse("properties_import:upload"))

    assert response.status_code == 200
    assert "Check the file" in response.content.decode()


def test_people_who_may_not_add_homes_are_turned_away(register_clerk):
    response = register_clerk.get(reverse("properties_import:upload"))

    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))


def test_people_who_may_not_add_homes_cannot_upload(register_clerk):
    upload(register_clerk, homes_csv(home_row(1)))

    assert not ImportRun.objects.exists()


def test_import_menu_item_is_hidden_from_people_who_may_not_import(register_clerk):
    page = register_clerk.get(reverse("wagtailadmin_home")).content.decode()

    assert "Import properties" not in page


def test_bad_file_is_reported_by_line_and_nothing_is_imported(register_manager):
    response = upload(register_manager, homes_csv(home_row(1), home_row(2, postcode="nowhere"), home_row(1)))

    run = ImportRun.objects.get()
    assert response.url == reverse("properties_import:run", args=[run.pk])
    assert run.status == ImportRunStatus.INVALID
    page = register_manager.get(response.url).content.decode()
    assert "There are problems with this file" in page
    assert "<td>3</td><td>Postcode &#x27;nowhere&#x27; is not a real postcode.</td>" in page
    assert "<td>4</td><td>Property reference 00000001 is also on line 2.</td>" in page
    assert "Import 3 homes" not in page
    assert not Property.objects.exists()


def test_good_file_shows_what_would_change_and_a_confirm_button(register_manager):
    response = upload(register_manager, homes_csv(home_row(1), home_row(2)))

    page = register_manager.get(response.url).content.decode()
    assert "The file is ready to import" in page
    assert "Import 2 homes" in page
    assert not Property.objects.exists()


def test_confirming_runs_the_import_and_shows_the_result(
    register_manager, django_capture_on_commit_callbacks
):
    run_url = upload(register_manager, homes_csv(home_row(1), home_row(2))).url
    run = ImportRun.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = register_manager.post(reverse("properties_import:confirm", args=[run.pk]))

    assert response.url == run_url
    run.refresh_from_db()
    assert run.status == ImportRunStatus.SUCCEEDED
    assert (run.created_count, run.updated_count, run.unchanged_count) == (2, 0, 0)
    assert Property.objects.count() == 2
    page = register_manager.get(run_url).content.decode()
    assert "Import complete" in page
    assert 'http-equiv="refresh"' not in page


def test_confirming_twice_imports_once(register_manager, django_capture_on_commit_callbacks):
    upload(register_manager, homes_csv(home_row(1)))
    run = ImportRun.objects.get()
    confirm = reverse("properties_import:confirm", args=[run.pk])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        register_manager.post(confirm)
        register_manager.post(confirm)

    assert len(callbacks) == 1


def test_a_file_with_errors_cannot_be_confirmed(register_manager, django_capture_on_commit_callbacks):
    upload(register_manager, homes_csv(home_row(1, postcode="nowhere")))
    run = ImportRun.objects.get()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        register_manager.post(reverse("properties_import:confirm", args=[run.pk]))

    assert callbacks == []
    assert not Property.objects.exists()


def test_status_page_refreshes_while_the_import_is_waiting_or_running(register_manager):
    upload(register_manager, homes_csv(home_row(1)))
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRunStatus.RUNNING)

    page = register_manager.get(reverse("properties_import:run", args=[run.pk])).content.decode()

    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Import 1 home" not in page


def test_rows_that_went_bad_since_the_check_fail_the_run_and_save_nothing(register_manager):
    upload(register_manager, homes_csv(home_row(1), home_row(2)))
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRunStatus.QUEUED)
    Property.objects.create(
        property_ref="OTHER", uprn=990_000_000_002, address_line_1="x", postcode="AA1 1AB"
    )

    run = perform_import_run(run_id=run.pk)

    assert run.status == ImportRunStatus.FAILED
    assert run.errors == [
        {"line": 3, "message": "UPRN 990000000002 already belongs to property OTHER in the register."}
    ]
    assert Property.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("homes.xlsx", b"PK\x03\x04", "The selected file must be a CSV file"),
        ("homes.csv", b"PK\x03\x04\x14\x00\x00", "The file is a spreadsheet"),
        ("homes.csv", b"", "The file is empty"),
    ],
)
def test_non_csv_or_empty_uploads_get_a_clear_message(register_manager, name, data, message):
    response = upload(register_manager, data, name=name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()
