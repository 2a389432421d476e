"""An import run in the worker: claimed once, re-run only when its worker was lost, failures recorded."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from properties.models import ImportRun, ImportRunStatus, Property
from properties.services import check_import_upload, perform_import_run, queue_import_run

from .csv_files import home_row, homes_csv

pytestmark = pytest.mark.django_db


def queued_run(*rows) -> ImportRun:
    run = check_import_upload(file_name="homes.csv", text=homes_csv(*rows), by=None)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRunStatus.QUEUED)
    return run


def test_a_queued_run_is_imported_and_its_counts_recorded():
    run = queued_run(home_row(1), home_row(2))

    finished = perform_import_run(run_id=run.pk)

    assert (finished.status, finished.created_count, finished.processed_rows) == (
        ImportRunStatus.SUCCEEDED,
        2,
        2,
    )
    assert finished.started_at and finished.finished_at
    assert Property.objects.count() == 2


def test_a_run_already_being_imported_is_left_alone():
    run = queued_run(home_row(1))
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRunStatus.RUNNING, started_at=timezone.now())

    assert perform_import_run(run_id=run.pk) is None
    assert not Property.objects.exists()


def test_a_run_whose_worker_was_lost_long_ago_is_run_again():
    run = queued_run(home_row(1))
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRunStatus.RUNNING, started_at=long_ago)

    assert perform_import_run(run_id=run.pk).status == ImportRunStatus.SUCCEEDED
    assert Property.objects.count() == 1


def test_a_finished_run_is_not_imported_again():
    run = queued_run(home_row(1))
    perform_import_run(run_id=run.pk)

    assert perform_import_run(run_id=run.pk) is None


def test_an_unexpected_error_fails_the_run_and_saves_nothing(monkeypatch):
    run = queued_run(home_row(1))

    def broken_write(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("properties.importing._Staging.apply", broken_write)

    finished = perform_import_run(run_id=run.pk)

    assert finished.status == ImportRunStatus.FAILED
    assert "unexpected error" in finished.errors[0]["message"]
    assert not Property.objects.exists()


def test_only_a_checked_run_can_be_queued():
    run = check_import_upload(file_name="homes.csv", text=homes_csv(home_row(1, postcode="bad")), by=None)

    assert run.status == ImportRunStatus.INVALID
    assert queue_import_run(run=run) is False
