"""The scheduled export (Celery beat, nightly): jobs, reports and costs changed since the last good run,
written as CSV through Django's storage API to the `reports_exports` storage (a folder by default, an
object store if settings name one), where finance and the HMS pick them up."""

from __future__ import annotations

import datetime
import logging
import tempfile

from celery import shared_task
from django.core.files import File
from django.core.files.storage import storages
from django.db.models import Q
from django.utils import timezone

from .exports import EXPORTS, rows, write_csv
from .models import ExportRun

logger = logging.getLogger(__name__)
STORAGE = "reports_exports"


@shared_task
def export_for_hms() -> int:
    """Write one file per export; return the run's id. A failure is recorded on the run and raised."""
    since = getattr(ExportRun.last_success(), "started_at", None)
    run = ExportRun.objects.create(started_at=timezone.now(), changed_since=since)
    storage = storages[STORAGE]
    stamp = timezone.localtime(run.started_at).strftime("%Y%m%dT%H%M%S")
    written, total = [], 0
    try:
        for export in EXPORTS.values():
            where = export.changed_since(since) if since else Q()
            with tempfile.TemporaryFile() as spool:
                count = write_csv(rows(export, where), spool)
                spool.seek(0)
                name = storage.save(f"{export.name}-v{export.version}-{stamp}.csv", File(spool))
            written.append({"export": export.name, "name": name, "rows": count})
            total += count
    except Exception as error:
        logger.exception("Scheduled export %s failed", run.pk)
        ExportRun.objects.filter(pk=run.pk).update(
            status=ExportRun.Status.FAILED,
            finished_at=timezone.now(),
            files=written,
            rows=total,
            message=f"{type(error).__name__}: {error}",
        )
        raise
    ExportRun.objects.filter(pk=run.pk).update(
        status=ExportRun.Status.SUCCEEDED, finished_at=timezone.now(), files=written, rows=total
    )
    return run.pk


@shared_task
def rebuild_report_summary(days: int = 62) -> int:
    """Nightly: rebuild the last `days` days of the reports summary from the source tables, catching any
    change that reached the database without the model signals (bulk updates, SQL, a SoR code's price).
    Returns the rows written."""
    from .scope import today
    from .summary import rebuild_range

    last = today()
    first = last - datetime.timedelta(days=days - 1)
    return sum(rows for _, _, rows in rebuild_range(first, last))


@shared_task
def rebuild_summary_pairs(pairs: list[list]) -> None:
    """Rebuild the summary rows a committed change touched, as (ISO day, trade id) pairs. A rebuild
    replaces rows whole from the source, so a redelivered task does no harm."""
    from .summary import rebuild_pairs

    rebuild_pairs((datetime.date.fromisoformat(day), int(trade)) for day, trade in pairs)
