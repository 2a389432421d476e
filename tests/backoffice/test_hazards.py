"""The back office's hazards queue, the clocks on the job page, and each hazard action from a form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from repairs.models import Priority
from tests.properties.factories import PropertyFactory
from tests.repairs.factories import TradeFactory
from tests.repairs.reporting import report
from workflows.hazards.models import HazardCase, Stage
from workflows.timeline import public_timeline

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def damp(**overrides):
    values = {
        "property": PropertyFactory(),
        "trade": TradeFactory(code="DM"),
        "priority": Priority.objects.get(code="DMI"),
        "description": "Mould in the bedroom",
    }
    values.update(overrides)
    return report(**values)


def test_the_queue_lists_emergency_reviews_first_then_by_time_left(manager_client):
    plain = damp()
    urgent = damp(priority=Priority.objects.get(code="DME"))
    review = damp(diagnosis=[{"household_at_risk": True}])

    page = manager_client.get(reverse("backoffice:hazards"))

    body = page.content.decode()
    assert page.status_code == 200
    order = [body.index(f"Job {r.job_id}<") for r in (review, urgent, plain)]
    assert order == sorted(order)
    assert "Emergency review" in body


def test_the_job_page_shows_the_clocks(manager_client):
    filed = damp()
    page = manager_client.get(reverse("backoffice:job", args=[filed.job_id]))
    body = page.content.decode()
    assert "Damp and mould (Awaab's Law)" in body
    assert "Investigation" in body and "Running" in body


def test_a_job_without_a_case_shows_no_clocks(manager_client):
    filed = report(property=PropertyFactory())
    assert "Awaab" not in manager_client.get(reverse("backoffice:job", args=[filed.job_id])).content.decode()


def test_staff_record_each_step_from_the_case_page(manager_client):
    filed = damp(contact_email="resident@example.invalid")
    job_pk = filed.job_id
    url = lambda action: reverse("backoffice:hazard_action", args=[job_pk, action])  # noqa: E731

    manager_client.post(
        url("investigation"),
        {"findings": "Mould from a broken fan", "hazard_found": "yes", "preventative_needed": "on"},
    )
    manager_client.post(url("summary"), {"summary": "We found mould from a broken fan; we will replace it."})
    manager_client.post(url("safety-works"), {"evidence": "Mould treated"})
    manager_client.post(url("preventative-works"), {"evidence": "New extractor fan ordered and fitted"})

    case = HazardCase.objects.get(job_id=job_pk)
    assert case.closed_at is not None
    assert all(s.is_met and not s.is_breached() for s in case.stages.all())
    titles = [e.title for e in public_timeline(filed.job)]
    assert titles[-4:] == [
        "Inspection done",
        "Written summary sent",
        "Home made safe",
        "Work to stop it coming back has started",
    ]
    printable = manager_client.get(reverse("backoffice:hazard_summary_print", args=[job_pk]))
    assert "we will replace it" in printable.content.decode()
    assert filed.reference in printable.content.decode()


def test_a_form_with_nothing_in_it_records_nothing_and_says_why(manager_client):
    filed = damp()
    page = manager_client.post(
        reverse("backoffice:hazard_action", args=[filed.job_id, "investigation"]),
        {"findings": ""},
        follow=True,
    )
    assert "Nothing was recorded" in page.content.decode()
    assert not HazardCase.objects.get(job_id=filed.job_id).stages.filter(stage=Stage.SUMMARY).exists()


def test_staff_can_open_a_case_by_hand_with_day_0_at_the_first_report(manager_client):
    filed = report(property=PropertyFactory())
    from workflows.hazards.models import HazardKind

    kind = HazardKind.objects.get(code="damp-and-mould")
    manager_client.post(reverse("backoffice:hazard_action", args=[filed.job_id, "open"]), {"kind": kind.pk})
    assert HazardCase.objects.get(job_id=filed.job_id).aware_at == filed.created_at


def test_an_agent_cannot_record_hazard_steps(agent):
    filed = damp()
    page = signed_in(agent).post(
        reverse("backoffice:hazard_action", args=[filed.job_id, "summary"]), {"summary": "x"}
    )
    assert page.status_code == 403
