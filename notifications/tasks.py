"""Celery tasks: sending outbox rows, the sweeper, appointment reminders and due-date alerts.

The timed ones run from Celery beat (CELERY_BEAT_SCHEDULE in config/settings.py).
"""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import EventKind
from .outbox import enqueue, enqueue_after_commit, queue_for_kind
from .selectors import appointments_on, jobs_about_to_breach, messages_to_sweep
from .sending import deliver_message

logger = logging.getLogger(__name__)

SWEEP_BATCH = 2000


@shared_task(bind=True, acks_late=True, ignore_result=True)
def send_message(self, message_id: int) -> str:
    outcome = deliver_message(message_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        try:
            send_message.apply_async((message_id,), countdown=outcome.retry_in)
        except Exception:
            logger.exception("Could not queue the retry of message %s; the sweeper will", message_id)
    return outcome.result


@shared_task(ignore_result=True)
def sweep_unsent() -> int:
    """Re-queue rows left unsent (a broker that was down, a worker that died mid-send)."""
    now = timezone.now()
    ids = list(
        messages_to_sweep(
            now=now,
            sweep_after=datetime.timedelta(seconds=settings.NOTIFY_SWEEP_AFTER),
            claim_timeout=datetime.timedelta(seconds=settings.NOTIFY_CLAIM_TIMEOUT),
        ).values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    if ids:
        logger.info("Re-queueing %s unsent message(s)", len(ids))
        enqueue(ids)
    return len(ids)


@shared_task(ignore_result=True)
def send_appointment_reminders() -> int:
    """Tomorrow's visits: one reminder per appointment and time, however often this runs."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    count = 0
    for appointment in appointments_on(tomorrow):
        key = f"reminder:appointment{appointment.pk}:{appointment.starts_at:%Y%m%d%H%M}"
        with transaction.atomic():
            ids = queue_for_kind(
                EventKind.APPOINTMENT_REMINDER, job=appointment.job, key=key, appointment=appointment
            )
            enqueue_after_commit(ids)
        count += len(ids)
    return count


@shared_task(ignore_result=True)
def alert_jobs_due_soon() -> int:
    """Staff alerts for jobs about to pass their due date: one per job and due date."""
    now = timezone.now()
    within = datetime.timedelta(hours=settings.NOTIFY_DUE_SOON_HOURS)
    count = 0
    for job in jobs_about_to_breach(now=now, within=within):
        key = f"due_soon:job{job.pk}:{job.due_at:%Y%m%d%H%M}"
        with transaction.atomic():
            ids = queue_for_kind(EventKind.DUE_SOON, job=job, key=key)
            enqueue_after_commit(ids)
        count += len(ids)
    return count
