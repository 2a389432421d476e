"""Lifecycle rules that apply to a job however it was created (public journey, back office, API),
and to every report however it arrived."""

from __future__ import annotations

from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from repairs.models import Job, Report
from repairs.signals import report_filed

from .intake import report_filed_on
from .sla import due_at


@receiver(pre_save, sender=Job, dispatch_uid="workflows.set_due_date")
def set_due_date(sender, instance: Job, **kwargs) -> None:
    """A job is never without a due date.

    A new job, or one re-prioritised with its due date cleared, is due by its priority's target
    counted from now.
    """
    if instance.due_at is None and instance.priority_id:
        instance.due_at = due_at(priority=instance.priority, reported_at=timezone.now())


@receiver(report_filed, sender=Report, dispatch_uid="workflows.report_filed")
def follow_report(
    sender, *, report: Report, joined: bool, already_reported: bool, priority, **kwargs
) -> None:
    """Runs inside `report_repair`'s transaction: if this fails, the report is not saved either."""
    report_filed_on(report=report, joined=joined, already_reported=already_reported, priority=priority)
