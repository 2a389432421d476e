"""Contractors see and act on only their own team's jobs: by link, by form and by bulk action."""

from __future__ import annotations

import pytest

from repairs.models import Job, JobState
from tests.backoffice.conftest import signed_in
from tests.repairs.factories import JobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs(contractor_team, other_team):
    ours = JobFactory(assignee=contractor_team)
    theirs = JobFactory(assignee=other_team)
    Job.objects.filter(pk__in=[ours.pk, theirs.pk]).update(state=JobState.SCHEDULED)
    return ours, theirs


def test_the_queue_lists_only_the_contractors_own_jobs(contractor, jobs) -> None:
    ours, theirs = jobs
    body = signed_in(contractor).get("/back-office/").content.decode()
    assert f"/back-office/jobs/{ours.pk}/" in body
    assert f"/back-office/jobs/{theirs.pk}/" not in body


def test_another_teams_job_is_404_by_link(contractor, jobs) -> None:
    ours, theirs = jobs
    client = signed_in(contractor)
    assert client.get(f"/back-office/jobs/{ours.pk}/").status_code == 200
    assert client.get(f"/back-office/jobs/{theirs.pk}/").status_code == 404
    assert client.get(f"/back-office/jobs/{theirs.pk}/appointment/").status_code == 404


@pytest.mark.parametrize(
    "path, data",
    [
        ("actions/start_work/", {"start_work-action": "start_work", "start_work-seen_state": "scheduled"}),
        ("notes/", {"note": "hello"}),
        ("costs/", {"actual_cost": "10"}),
        ("appointment/cancel/", {"note": ""}),
    ],
)
def test_another_teams_job_is_404_by_form_and_unchanged(contractor, jobs, path, data) -> None:
    _, theirs = jobs
    response = signed_in(contractor).post(f"/back-office/jobs/{theirs.pk}/{path}", data)
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == JobState.SCHEDULED and theirs.events.count() == 0


def test_the_contractor_moves_their_own_job_on(contractor, jobs) -> None:
    ours, _ = jobs
    signed_in(contractor).post(
        f"/back-office/jobs/{ours.pk}/actions/start_work/",
        {"start_work-action": "start_work", "start_work-seen_state": "scheduled"},
    )
    ours.refresh_from_db()
    assert ours.state == JobState.IN_PROGRESS


def test_a_bulk_action_naming_another_teams_job_is_404_and_does_nothing(contractor, jobs) -> None:
    ours, theirs = jobs
    response = signed_in(contractor).post(
        "/back-office/bulk/", {"jobs": [ours.pk, theirs.pk], "action": "start_work"}
    )
    assert response.status_code == 404
    assert set(Job.objects.values_list("state", flat=True)) == {JobState.SCHEDULED}


def test_a_contractor_cannot_merge_into_another_teams_job(contractor, jobs) -> None:
    ours, theirs = jobs
    response = signed_in(contractor).post(f"/back-office/jobs/{ours.pk}/merge/", {"into": theirs.pk})
    assert response.status_code == 404
    ours.refresh_from_db()
    assert ours.state == JobState.SCHEDULED


def test_a_contractor_in_the_group_without_a_team_sees_no_jobs(db, jobs) -> None:
    from tests.workflows.factories import user_in_role

    lone = user_in_role("Contractors")
    ours, _ = jobs
    body = signed_in(lone).get("/back-office/").content.decode()
    assert "No jobs match" in body
    assert signed_in(lone).get(f"/back-office/jobs/{ours.pk}/").status_code == 404


def test_my_team_view_lists_the_users_team(contractor, contractor_team, jobs) -> None:
    body = signed_in(contractor).get("/back-office/").content.decode()
    assert f"?assignee={contractor_team.pk}&amp;open=yes" in body
