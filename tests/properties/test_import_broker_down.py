"""A confirmed property import survives a broker that is down: the run waits as queued and beat's
`run_queued_imports` starts it once, whatever happens to the task."""

from __future__ import annotations

import pytest

from properties.models import ImportRun, ImportRunStatus
from properties.services import check_import_upload, queue_import_run
from properties.tasks import run_queued_imports
from tests.scheduling.broker import broker_down

HOMES_CSV = "property_ref,uprn,address_line_1,postcode\nBD0001,100000000201,1 Broker Row,ZY9 2AA\n"


@pytest.mark.django_db(transaction=True)
def test_a_confirmation_while_the_broker_is_down_is_run_by_beat_once():
    run = check_import_upload(file_name="homes.csv", text=HOMES_CSV, by=None)
    with broker_down():
        assert queue_import_run(run=run) is True  # no error reaches the person who confirmed
    assert ImportRun.objects.get(pk=run.pk).status == ImportRunStatus.QUEUED
    assert run_queued_imports() == 1
    assert run_queued_imports() == 0
    finished = ImportRun.objects.get(pk=run.pk)
    assert finished.status == ImportRunStatus.SUCCEEDED and finished.created_count == 1
