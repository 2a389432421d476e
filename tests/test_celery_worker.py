"""Task delivery through a real broker: a confirmed property import is run by a Celery worker on Redis."""

from __future__ import annotations

import time

import pytest

from properties.models import ImportRun, ImportRunStatus, Property
from properties.services import check_import_upload, queue_import_run
from tests.celery_support import celery_worker_on_redis

HOMES_CSV = (
    "property_ref,uprn,address_line_1,postcode\n"
    "WK0001,100000000101,2 Worker Row,ZY9 1AA\n"
    "WK0002,100000000102,4 Worker Row,ZY9 1AA\n"
    "WK0003,100000000103,10 Worker Row,ZY9 1AA\n"
)


def wait_for_status(run_id: int, statuses: set[str], seconds: float = 30.0) -> ImportRun:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = ImportRun.objects.get(pk=run_id)
        if run.status in statuses:
            return run
        time.sleep(0.1)
    raise AssertionError(f"import run {run_id} stayed {run.status!r} for {seconds}s")


@pytest.mark.django_db(transaction=True)
def test_a_confirmed_import_is_delivered_to_a_worker_and_runs_once():
    run = check_import_upload(file_name="homes.csv", text=HOMES_CSV, by=None)
    assert run.status == ImportRunStatus.CHECKED

    with celery_worker_on_redis():
        assert queue_import_run(run=run) is True
        # A second confirmation (a double click) sends nothing more.
        assert queue_import_run(run=run) is False
        finished = wait_for_status(run.pk, {ImportRunStatus.SUCCEEDED, ImportRunStatus.FAILED})

    assert finished.status == ImportRunStatus.SUCCEEDED
    assert finished.created_count == 3
    assert list(Property.objects.filter(postcode_key="ZY91AA").values_list("property_ref", flat=True)) == [
        "WK0001",
        "WK0002",
        "WK0003",
    ]
