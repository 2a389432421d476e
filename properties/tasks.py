"""Celery tasks of the property register. With no broker configured they run in-process (eagerly)."""

from __future__ import annotations

from celery import shared_task

from .services import perform_import_run


@shared_task(acks_late=True)
def run_property_import(run_id: int) -> str:
    """Import a confirmed ImportRun; the run records its own progress and result."""
    run = perform_import_run(run_id=run_id)
    return run.status if run else "skipped"
