"""With a worker running, a committed change's summary rebuild goes through the broker, not the request."""

from __future__ import annotations

import time

import pytest
from celery.signals import task_prerun

from repairs.models import Job
from reports.models import JobDaySummary
from reports.summary import local_day
from tests.celery_support import celery_worker_on_redis
from tests.properties.factories import PropertyFactory
from tests.repairs.factories import TradeFactory
from tests.repairs.reporting import report


def wait_for_rows(trade_id: int, seconds: float = 20.0) -> list[JobDaySummary]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        rows = list(JobDaySummary.objects.filter(trade_id=trade_id))
        if rows:
            return rows
        time.sleep(0.1)
    raise AssertionError(f"no summary rows for trade {trade_id} after {seconds}s")


@pytest.mark.django_db(transaction=True)
def test_a_new_report_is_summarised_by_the_worker() -> None:
    ran: list[str] = []

    def remember(sender=None, **kwargs) -> None:
        ran.append(sender.name)

    task_prerun.connect(remember, weak=False)
    try:
        with celery_worker_on_redis():
            trade = TradeFactory(code="SW")
            filed = report(property=PropertyFactory(), trade=trade)
            rows = wait_for_rows(trade.pk)
    finally:
        task_prerun.disconnect(remember)

    assert "reports.tasks.rebuild_summary_pairs" in ran
    job = Job.objects.get(pk=filed.job_id)
    assert [(row.day, row.raised) for row in rows if row.raised] == [(local_day(job.created_at), 1)]
