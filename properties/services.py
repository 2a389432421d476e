"""Writes to the property register that views and tasks share: the steps of an import run."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .importing import ImportResult, import_properties
from .models import ImportRun, ImportRunStatus

logger = logging.getLogger(__name__)

PROGRESS_CACHE_SECONDS = 6 * 60 * 60
UNEXPECTED_FAILURE = "The import stopped because of an unexpected error. Nothing was saved."


def progress_cache_key(run_id: int) -> str:
    return f"properties:import-run:{run_id}:progress"


def check_import_upload(*, file_name: str, text: str, by) -> ImportRun:
    """Keep an uploaded CSV as an ImportRun and dry-run it, so the person sees every problem before saving."""
    result = import_properties(text, dry_run=True)
    run = ImportRun(file_name=file_name[:255], content=text, created_by=by)
    _record_result(run, result)
    run.status = ImportRunStatus.CHECKED if result.ok else ImportRunStatus.INVALID
    run.save()
    return run


def queue_import_run(*, run: ImportRun) -> bool:
    """Confirm a checked run: mark it queued and send it to the worker once that is committed.

    Returns False when the run was not waiting for confirmation (a second click, or a file with errors).
    """
    from .tasks import run_property_import

    waiting = ImportRun.objects.filter(pk=run.pk, status=ImportRunStatus.CHECKED)
    if not waiting.exists():
        # Read first: on SQLite a write would wait for an import already writing, to no purpose.
        return False
    # One UPDATE claims the run, so two clicks cannot both queue it; the task is sent only once the
    # claim is committed (at once in autocommit, or when the caller's transaction commits).
    claimed = waiting.update(status=ImportRunStatus.QUEUED, processed_rows=0)
    if claimed:
        transaction.on_commit(lambda: _send_import(run_property_import, run.pk))
    return bool(claimed)


def _send_import(task, run_id: int) -> None:
    """Best effort: a broker that is down is logged; beat's `run_queued_imports` starts the run later."""
    try:
        task.delay(run_id)
    except Exception:  # the broker client's own errors; none may reach the person who confirmed
        logger.warning("Could not queue import run %s now; beat will start it", run_id, exc_info=True)


def perform_import_run(*, run_id: int) -> ImportRun | None:
    """Import a queued run for real.

    A run another worker is importing (a task delivered twice) is left alone. A run left "running" for
    longer than a task may live was lost with its worker; its transaction saved nothing, so it is run again.
    """
    now = timezone.now()
    lost_before = now - timedelta(seconds=(settings.CELERY_TASK_TIME_LIMIT or 3600) + 60)
    claimed = (
        ImportRun.objects.filter(pk=run_id)
        .filter(
            Q(status=ImportRunStatus.QUEUED) | Q(status=ImportRunStatus.RUNNING, started_at__lt=lost_before)
        )
        .update(status=ImportRunStatus.RUNNING, started_at=now)
    )
    if not claimed:
        return None
    run = ImportRun.objects.get(pk=run_id)
    key = progress_cache_key(run_id)

    def progress(stage: str, done: int, total: int) -> None:
        # The saving stage runs inside the import's transaction, where a row update would stay
        # invisible until the end; the cache is seen by the status page at once.
        cache.set(key, {"stage": stage, "done": done, "total": total}, PROGRESS_CACHE_SECONDS)

    try:
        result = import_properties(run.content, dry_run=False, progress=progress)
    except Exception:
        logger.exception("Property import run %s failed", run_id)
        run.errors = [
            {"line": 0, "message": "The import stopped because of an unexpected error. Nothing was saved."}
        ]
        run.status = ImportRunStatus.FAILED
    else:
        _record_result(run, result)
        run.status = ImportRunStatus.SUCCEEDED if result.ok else ImportRunStatus.FAILED
    run.finished_at = timezone.now()
    run.save()
    cache.delete(key)
    return run


def live_progress(run: ImportRun) -> dict[str, int | str]:
    """Where a running import has got to, for the status page."""
    return cache.get(progress_cache_key(run.pk)) or {
        "stage": "waiting",
        "done": run.processed_rows,
        "total": run.total_rows,
    }


def _record_result(run: ImportRun, result: ImportResult) -> None:
    run.total_rows = result.total_rows
    run.processed_rows = result.total_rows
    run.created_count = result.created
    run.updated_count = result.updated
    run.unchanged_count = result.unchanged
    run.errors = [error.as_dict() for error in result.errors]
