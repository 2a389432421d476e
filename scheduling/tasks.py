"""Celery tasks: calls to outside schedulers, kept off the request path.

Retries of bookings go through the visible "needs booking" queue (with backoff in
`queue.backoff`), not through Celery's own retry, so staff can see every job that is waiting and
why. The queue is also the bookings' outbox: `retry_needs_booking` runs every two minutes from Celery
beat (CELERY_BEAT_SCHEDULE) and sends any request whose task never reached the broker.
"""

from __future__ import annotations

import logging

from celery import shared_task

from .models import Appointment
from .port import SchedulerError

logger = logging.getLogger(__name__)

CANCEL_RETRY_DELAYS = (60, 300, 900, 3600)


@shared_task(acks_late=True)
def send_booking(appointment_id: int) -> str:
    from .booking import deliver_booking

    appointment = Appointment.objects.filter(pk=appointment_id).first()
    if appointment is None:
        return "gone"
    return deliver_booking(appointment).status


@shared_task(bind=True, acks_late=True, max_retries=len(CANCEL_RETRY_DELAYS))
def send_cancellation(self, appointment_id: int) -> str:
    from .booking import deliver_cancellation

    appointment = Appointment.objects.select_related("job", "connection").filter(pk=appointment_id).first()
    if appointment is None:
        return "gone"
    try:
        return deliver_cancellation(appointment).status
    except SchedulerError as error:
        if error.retryable and not self.request.is_eager and self.request.retries < self.max_retries:
            raise self.retry(countdown=CANCEL_RETRY_DELAYS[self.request.retries]) from error
        logger.error("Scheduler did not take the cancellation of appointment %s: %s", appointment_id, error)
        return "failed"


@shared_task
def retry_needs_booking() -> int:
    from .queue import retry_due_bookings

    return retry_due_bookings()


@shared_task(bind=True, acks_late=True, max_retries=len(CANCEL_RETRY_DELAYS))
def send_completion(self, appointment_id: int) -> str:
    """Tell DRS a job completed in our back office (updateBooking with completeOrder)."""
    from .booking import deliver_completion

    appointment = Appointment.objects.select_related("job", "connection").filter(pk=appointment_id).first()
    if appointment is None:
        return "gone"
    try:
        deliver_completion(appointment)
    except SchedulerError as error:
        if error.retryable and not self.request.is_eager and self.request.retries < self.max_retries:
            raise self.retry(countdown=CANCEL_RETRY_DELAYS[self.request.retries]) from error
        logger.error("DRS did not take the completion of appointment %s: %s", appointment_id, error)
        return "failed"
    return "completed"
