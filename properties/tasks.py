"""Celery tasks of the property register. With no broker configured they run in-process (eagerly)."""

from __future__ import annotations

from celery import shared_task

from .models import ImportRun, ImportRunStatus
from .services import perform_import_run


@shared_task(acks_late=True)
def run_property_import(run_id: int) -> str:
    """Import a confirmed ImportRun; the run records its own progress and result."""
    run = perform_import_run(run_id=run_id)
    return run.status if run else "skipped"


@shared_task
def run_queued_imports() -> int:
    """Beat's safety net: start confirmed runs whose task never reached the broker (each runs once:
    `perform_import_run` claims the run before importing)."""
    started = 0
    for run_id in ImportRun.objects.filter(status=ImportRunStatus.QUEUED).values_list("pk", flat=True):
        started += perform_import_run(run_id=run_id) is not None
    return started
