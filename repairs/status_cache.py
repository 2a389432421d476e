"""The public status page's rendered content, cached per job and dropped when anything about the job changes.

Residents check the status page instead of calling, so it is the hottest read. What it shows is the
same for everyone following a job (state, appointment, public timeline, how many neighbours reported),
so the rendered part is cached under the job's id; any saved JobEvent, Appointment or Report of the job
deletes it, and an event on a follow-on or recall job deletes the original job's too (its timeline
shows its follow-ups' events). Per-report parts (the reference, the action links) are rendered around
it, uncached.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

CACHE_SECONDS = 60 * 60


def cache_key(job_id: int) -> str:
    return f"repairs:status:job:{job_id}"


def get(job_id: int) -> dict | None:
    return cache.get(cache_key(job_id))


def put(job_id: int, content: dict) -> None:
    cache.set(cache_key(job_id), content, CACHE_SECONDS)


def drop(job_id: int | None) -> None:
    if job_id:
        cache.delete(cache_key(job_id))


def _drop_for_instance(sender, instance, **kwargs) -> None:
    from repairs.models import Job

    if isinstance(instance, Job):
        drop(instance.pk)
        drop(instance.merged_into_id)
        drop(instance.follows_id)
        return
    drop(instance.job_id)
    # A follow-on or recall's events are also on the original job's timeline. Read `follows_id` only
    # from a job already loaded on the instance (as `record_event` leaves it), never with a query.
    if type(instance).job.is_cached(instance):
        drop(instance.job.follows_id)


def connect() -> None:
    """Hook the models whose changes the page shows; called once when the app is ready."""
    from django.apps import apps

    for label in ("workflows.JobEvent", "scheduling.Appointment", "repairs.Report", "repairs.Job"):
        try:
            model = apps.get_model(label)
        except LookupError:  # an app left out of INSTALLED_APPS
            continue
        post_save.connect(_drop_for_instance, sender=model, dispatch_uid=f"status-cache-{label}")
        post_delete.connect(_drop_for_instance, sender=model, dispatch_uid=f"status-cache-del-{label}")


connect()
