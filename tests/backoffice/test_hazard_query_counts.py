"""The hazards queue and a case page cost the same queries with 10 open cases as with 1,000.

Cases are bulk-made (each with its four clocks) so the test measures the pages, not the set-up.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from repairs.models import Job, Priority
from tests.properties.factories import PropertyFactory
from tests.repairs.factories import TradeFactory
from workflows.hazards.models import HazardCase, HazardKind, HazardStage, Stage

pytestmark = pytest.mark.django_db


def _open_cases(count: int) -> list[HazardCase]:
    home = PropertyFactory()
    trade = TradeFactory(code=f"D{count}")
    priority = Priority.objects.get(code="DMI")
    kind = HazardKind.objects.get(code="damp-and-mould")
    now = timezone.now()
    jobs = Job.objects.bulk_create(
        Job(property=home, trade=trade, priority=priority, description="Mould", due_at=now)
        for _ in range(count)
    )
    cases = HazardCase.objects.bulk_create(
        HazardCase(
            job=job,
            kind=kind,
            aware_at=now - datetime.timedelta(hours=i),
            emergency_review_since=now if i % 7 == 0 else None,
        )
        for i, job in enumerate(jobs)
    )
    HazardStage.objects.bulk_create(
        HazardStage(
            case=case, stage=stage, starts_at=case.aware_at, due_at=case.aware_at + datetime.timedelta(days=d)
        )
        for case in cases
        for stage, d in ((Stage.INVESTIGATION, 14), (Stage.SUMMARY, 17), (Stage.SAFETY_WORKS, 19))
    )
    return cases


def test_the_hazards_queue_runs_the_same_queries_for_10_and_1000_cases(manager_client) -> None:
    _open_cases(10)
    with CaptureQueriesContext(connection) as few:
        small = manager_client.get(reverse("backoffice:hazards"))
    _open_cases(990)
    with CaptureQueriesContext(connection) as many:
        large = manager_client.get(reverse("backoffice:hazards"))
    assert small.status_code == large.status_code == 200
    assert large.content.decode().count("Emergency review") > small.content.decode().count("Emergency review")
    assert len(many) == len(few)


def test_a_case_page_runs_the_same_queries_whatever_the_other_cases(manager_client) -> None:
    case = _open_cases(10)[0]
    url = reverse("backoffice:hazard_case", args=[case.job_id])
    with CaptureQueriesContext(connection) as few:
        assert manager_client.get(url).status_code == 200
    _open_cases(990)
    with CaptureQueriesContext(connection) as many:
        assert manager_client.get(url).status_code == 200
    assert len(many) == len(few)
