"""The audit trail: every staff change to jobs, set-up data, users and groups is kept, with who made it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from repairs.models import Job, JobState, Trade
from tests.backoffice.conftest import signed_in
from tests.repairs.factories import JobFactory, PriorityFactory, TradeFactory

pytestmark = pytest.mark.django_db


def post_action(client, job, action, **data):
    fields = {f"{action}-action": action, f"{action}-seen_state": job.state}
    fields.update({f"{action}-{key}": value for key, value in data.items()})
    return client.post(f"/back-office/jobs/{job.pk}/actions/{action}/", fields, follow=True)


def test_a_transition_through_the_lifecycle_proxy_is_a_version_with_who_made_it(manager_client, manager):
    job = JobFactory()
    post_action(manager_client, job, "triage", note="Checked")
    versions = list(Job.history.filter(id=job.pk).order_by("history_date", "history_id"))
    assert [v.state for v in versions] == [JobState.REPORTED, JobState.TRIAGED]
    assert versions[-1].history_user == manager


def test_the_history_never_writes_a_state_back(manager_client):
    job = JobFactory()
    post_action(manager_client, job, "triage", note="Checked")
    field = Job.history.model._meta.get_field("state")
    assert type(field).__name__ == "CharField"  # not a protected FSMField, and no transitions
    first = Job.history.filter(id=job.pk).earliest("history_date")
    first.state = "closed"  # a history row is only a record: changing it changes no job
    first.save()
    job.refresh_from_db()
    assert job.state == JobState.TRIAGED


def test_the_job_page_shows_who_changed_what(manager_client, manager) -> None:
    manager.first_name, manager.last_name = "Mo", "Manager"
    manager.save()
    urgent = PriorityFactory(code="UX", name="Urgent")
    job = JobFactory()
    post_action(manager_client, job, "triage", note="Checked")
    manager_client.post(f"/back-office/jobs/{job.pk}/priority/", {"priority": urgent.pk, "note": "Worse now"})
    body = manager_client.get(f"/back-office/jobs/{job.pk}/").content.decode()
    section = body[body.index('id="audit-trail"') :]
    assert "Mo Manager" in section
    assert "State: Reported to Triaged" in section
    assert f"Priority: {job.priority.name} to Urgent" in section
    assert "Created" in section


def test_the_job_page_reads_the_history_in_the_same_queries_however_long(manager_client) -> None:
    job = JobFactory()

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(f"/back-office/jobs/{job.pk}/").status_code == 200
        return len(captured)

    manager_client.get(f"/back-office/jobs/{job.pk}/")
    few = count()
    for index in range(30):
        job.trade = TradeFactory(code=f"T{index}", name=f"Trade {index}")
        job.priority = PriorityFactory(code=f"P{index}", name=f"Priority {index}")
        job.save()
    assert count() == few


def test_set_up_users_and_groups_are_kept(manager) -> None:
    trade = TradeFactory(code="GZ", name="Glazing")
    trade.name = "Glazing and windows"
    trade.save()
    assert [t.name for t in Trade.history.filter(id=trade.pk).order_by("history_date")] == [
        "Glazing",
        "Glazing and windows",
    ]
    group = Group.objects.create(name="Surveyors")
    group.permissions.add(Permission.objects.get(codename="view_job"))
    latest = Group.history.filter(id=group.pk).latest("history_date")
    assert [p.permission.codename for p in latest.permissions.all()] == ["view_job"]
    manager.groups.add(group)
    kept = User.history.filter(id=manager.pk).latest("history_date")
    assert "Surveyors" in {g.group.name for g in kept.groups.all()}
    assert not hasattr(kept, "password")  # never kept


def test_the_admin_lists_and_searches_the_trail_read_only(manager) -> None:
    admin = User.objects.create_superuser("auditor", "auditor@example.org", "a long password 42")
    job = JobFactory(description="Broken boiler in flat 4")
    job.description = "Broken boiler in flat 4, no heating"
    job.save()
    client = signed_in(admin)
    listing = client.get("/admin/audit_jobs/", {"q": "no heating"})
    assert listing.status_code == 200
    assert "no heating" in listing.content.decode()
    version = Job.history.filter(id=job.pk).latest("history_date")
    assert client.get(f"/admin/audit_jobs/inspect/{version.pk}/").status_code == 200
    assert client.get(f"/admin/audit_jobs/edit/{version.pk}/").status_code in (302, 403)
    assert client.get("/admin/audit_jobs/new/").status_code in (302, 403)
    # A manager without the view permission is not shown the trail.
    assert signed_in(manager).get("/admin/audit_jobs/").status_code in (302, 403)
