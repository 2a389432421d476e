"""The "needs booking" queue: jobs a scheduler has not taken yet, retried with backoff, and jobs staff
must arrange by hand (a refusal retrying cannot fix, or a call-back before booking a home with an alert).

The queue is also the outbox of outside bookings: the row is written in the transaction that asks for
the booking, so a booking survives a broker that is down; Celery beat's `retry_needs_booking` sends
whatever the fast path (`send_booking.delay` after commit) did not.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from repairs.models import Job

from .models import Appointment, NeedsBooking
from .port import SchedulerError

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
# How long beat leaves a fresh request to the fast path (a task sent after commit) before sending it.
FAST_PATH_GRACE = datetime.timedelta(minutes=1)
WAITING_REASON = "Waiting to be sent to the scheduler."


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4 … minutes between tries, at most an hour."""
    return datetime.timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def enqueue_request(*, job: Job, appointment: Appointment) -> NeedsBooking:
    """The outbox row of a booking about to be sent (call inside the transaction that made it)."""
    entry, _ = NeedsBooking.objects.update_or_create(
        job=job,
        resolved_at__isnull=True,
        defaults={
            "appointment": appointment,
            "reason": WAITING_REASON,
            "retryable": True,
            "next_attempt_at": timezone.now() + FAST_PATH_GRACE,
        },
    )
    return entry


def enqueue_for_booking(*, job: Job, appointment: Appointment | None, error: SchedulerError) -> NeedsBooking:
    """Record that booking `job` failed with `error`: retried later when retrying can help."""
    now = timezone.now()
    with transaction.atomic():
        entry = NeedsBooking.objects.select_for_update().filter(job=job, resolved_at__isnull=True).first()
        if entry is None or entry.reason == WAITING_REASON:
            entry = entry or NeedsBooking(job=job)
            entry.reason = error.message[:255]
        entry.appointment = appointment
        entry.attempts += 1
        entry.last_error = error.message
        entry.retryable = error.retryable and entry.attempts < MAX_ATTEMPTS
        if error.retryable and not entry.retryable:
            entry.reason = f"Gave up after {entry.attempts} tries: book this job by hand."
        entry.next_attempt_at = now + backoff(entry.attempts)
        entry.save()
    logger.warning("Job %s needs booking: %s", job.pk, error.message)
    return entry


def enqueue_call_back(*, job: Job, reason: str) -> NeedsBooking:
    """A job staff must arrange with the resident by phone (never retried by the system)."""
    entry, _ = NeedsBooking.objects.get_or_create(
        job=job, resolved_at__isnull=True, defaults={"reason": reason[:255], "retryable": False}
    )
    return entry


def retry_due_bookings(*, now: datetime.datetime | None = None) -> int:
    """Send every queued booking whose time has come; returns how many were tried."""
    from .booking import deliver_booking

    now = now or timezone.now()
    tried = 0
    for entry in (
        NeedsBooking.objects.due(now)
        .filter(retryable=True, appointment__isnull=False)
        .select_related("appointment")
    ):
        deliver_booking(entry.appointment)
        tried += 1
    return tried


def resolve_queue(job: Job) -> None:
    NeedsBooking.objects.filter(job=job, resolved_at__isnull=True).update(resolved_at=timezone.now())
