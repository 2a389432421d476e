"""Lifecycle rules that apply to a job however it was created (public journey, back office, API)."""

from __future__ import annotations

from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from repairs.models import Job

from .sla import due_at


@receiver(pre_save, sender=Job, dispatch_uid="workflows.set_due_date")
def set_due_date(sender, instance: Job, **kwargs) -> None:
    """A job is never without a due date.

    A new job, or one re-prioritised with its due date cleared, is due by its priority's target
    counted from now.
    """
    if instance.due_at is None and instance.priority_id:
        instance.due_at = due_at(priority=instance.priority, reported_at=timezone.now())
