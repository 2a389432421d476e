"""Existing jobs take `completed_at` and `closed_at` from their lifecycle events.

`completed_at` comes from the latest `complete` event (a job reopened after closure keeps it, because
reopening is not completing), `closed_at` from the latest `close` event of a job that is still closed.
Kept apart from 0006, whose index PostgreSQL cannot build in the transaction that updated the rows.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Job = apps.get_model("repairs", "Job")
    JobEvent = apps.get_model("workflows", "JobEvent")

    def latest(action):
        events = JobEvent.objects.filter(job=OuterRef("pk"), action=action).order_by("-occurred_at", "-id")
        return Subquery(events.values("occurred_at")[:1])

    Job.objects.filter(state__in=["completed", "closed"]).update(completed_at=latest("complete"))
    Job.objects.filter(state="closed").update(closed_at=latest("close"))


class Migration(migrations.Migration):
    dependencies = [
        ("repairs", "0007_job_open_trade_due_index"),
        ("workflows", "0005_reopen_and_lifecycle_settings"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
