"""Moving a job on from its page: transitions with notes, priority, trade, size, costs, merge, notes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from repairs.models import Job, JobState
from tests.repairs.factories import (
    CommunalJobFactory,
    JobFactory,
    PriorityFactory,
    ReportFactory,
    TradeFactory,
)
from workflows.models import JobEvent
from workflows.services import transition_job

pytestmark = pytest.mark.django_db


def post_action(client, job, action, **data):
    fields = {f"{action}-action": action, f"{action}-seen_state": job.state}
    fields.update({f"{action}-{key}": value for key, value in data.items()})
    return client.post(f"/back-office/jobs/{job.pk}/actions/{action}/", fields, follow=True)


def test_the_job_page_offers_the_transitions_this_user_may_make(manager_client) -> None:
    job = JobFactory()
    body = manager_client.get(f"/back-office/jobs/{job.pk}/").content.decode()
    assert "/actions/triage/" in body and "/actions/reject/" in body
    assert "/actions/complete/" not in body  # not from "reported"


def test_triage_moves_the_job_and_records_who(manager_client, manager) -> None:
    job = JobFactory()
    response = post_action(manager_client, job, "triage", note="Checked the trade")
    job.refresh_from_db()
    assert job.state == JobState.TRIAGED
    event = JobEvent.objects.get(job=job, action="triage")
    assert event.actor == manager and event.note == "Checked the trade"
    assert "is now triaged" in response.content.decode()


def test_hold_without_a_note_is_refused_and_changes_nothing(manager_client) -> None:
    job = JobFactory()
    transition_job(job, "triage", by=None)
    response = post_action(manager_client, job, "hold", note="", public_note="")
    job.refresh_from_db()
    assert job.state == JobState.TRIAGED
    assert "say why in the note" in response.content.decode()


def test_hold_with_a_public_reason_shows_it_on_the_residents_status_page(manager_client, client) -> None:
    report = ReportFactory()
    job = report.job
    transition_job(job, "triage", by=None)
    post_action(manager_client, job, "hold", note="Waiting on the supplier", public_note="Waiting for a part")
    status = client.get(f"/repairs/status/{report.status_token}/").content.decode()
    assert "Waiting for a part" in status
    assert "Waiting on the supplier" not in status  # the staff note stays internal


def test_a_job_changed_by_someone_else_meanwhile_is_not_overruled(manager_client) -> None:
    job = JobFactory()
    stale_state = job.state
    transition_job(job, "triage", by=None)
    response = manager_client.post(
        f"/back-office/jobs/{job.pk}/actions/reject/",
        {
            "reject-action": "reject",
            "reject-seen_state": stale_state,
            "reject-note": "dup",
            "reject-public_note": "x",
        },
        follow=True,
    )
    job.refresh_from_db()
    assert job.state == JobState.TRIAGED
    assert "changed by someone else" in response.content.decode()


def test_priority_trade_size_and_costs_are_changed_with_events(manager_client) -> None:
    job = JobFactory()
    urgent = PriorityFactory(code="UR", name="Urgent", target_value=5)
    electrical = TradeFactory(code="EL", name="Electrical")
    manager_client.post(
        f"/back-office/jobs/{job.pk}/priority/", {"priority": urgent.pk, "note": "Leak spreading"}
    )
    manager_client.post(
        f"/back-office/jobs/{job.pk}/trade/", {"trade": electrical.pk, "size": "M", "note": "Wiring"}
    )
    manager_client.post(f"/back-office/jobs/{job.pk}/costs/", {"estimated_cost": "80.00", "actual_cost": ""})
    job.refresh_from_db()
    assert (job.priority, job.trade, job.size, str(job.estimated_cost)) == (urgent, electrical, "M", "80.00")
    actions = set(JobEvent.objects.filter(job=job).values_list("action", flat=True))
    assert {"priority_changed", "details_changed", "costs_recorded"} <= actions


def test_actual_cost_waits_for_the_work(manager_client) -> None:
    job = JobFactory()
    response = manager_client.post(
        f"/back-office/jobs/{job.pk}/costs/", {"actual_cost": "99.00"}, follow=True
    )
    job.refresh_from_db()
    assert job.actual_cost is None
    assert "when the work is done" in response.content.decode()


def test_merging_a_duplicate_communal_job_moves_its_reporters(manager_client) -> None:
    first = CommunalJobFactory()
    duplicate = CommunalJobFactory(communal_area=first.communal_area, trade=first.trade)
    report = ReportFactory(job=duplicate)
    response = manager_client.post(f"/back-office/jobs/{duplicate.pk}/merge/", {"into": first.pk, "note": ""})
    assert response["Location"] == f"/back-office/jobs/{first.pk}/"
    duplicate.refresh_from_db()
    report.refresh_from_db()
    assert duplicate.state == JobState.MERGED and report.job_id == first.pk


def test_a_staff_note_is_internal(manager_client) -> None:
    job = JobFactory()
    manager_client.post(f"/back-office/jobs/{job.pk}/notes/", {"note": "Resident prefers mornings"})
    event = JobEvent.objects.get(job=job, action="staff_note")
    assert not event.is_public and event.note == "Resident prefers mornings"


def test_the_job_page_runs_the_same_queries_for_few_and_many_reports_and_events(manager_client) -> None:
    job = CommunalJobFactory()
    for _ in range(3):
        ReportFactory(job=job, contact_email="")
    with CaptureQueriesContext(connection) as few:
        assert manager_client.get(f"/back-office/jobs/{job.pk}/").status_code == 200
    for _ in range(30):
        ReportFactory(job=job, contact_email="")
        manager_client.post(f"/back-office/jobs/{job.pk}/notes/", {"note": "More"})
    with CaptureQueriesContext(connection) as many:
        assert manager_client.get(f"/back-office/jobs/{job.pk}/").status_code == 200
    assert len(many) == len(few)


def test_bulk_triage_records_each_job_and_reports_refusals(manager_client) -> None:
    reported = [JobFactory(), JobFactory()]
    finished = JobFactory()
    Job.objects.filter(pk=finished.pk).update(state=JobState.CANCELLED)
    response = manager_client.post(
        "/back-office/bulk/", {"jobs": [j.pk for j in [*reported, finished]], "action": "triage"}, follow=True
    )
    states = dict(Job.objects.values_list("pk", "state"))
    assert [states[j.pk] for j in reported] == [JobState.TRIAGED, JobState.TRIAGED]
    assert states[finished.pk] == JobState.CANCELLED
    assert JobEvent.objects.filter(action="triage").count() == 2
    body = response.content.decode()
    assert "2 of 3 jobs done" in body and f"Job {finished.pk}:" in body
