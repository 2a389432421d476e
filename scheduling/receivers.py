"""What scheduling does when the lifecycle moves a job (the `job_transitioned` signal, after commit).

A job cancelled, rejected or merged by staff frees its appointment in the scheduler. No access, or a
hold (the visit cannot happen), releases the appointment so the job can be booked again into a new
slot; a job resumed into "scheduled" with no appointment left goes back to be booked. A job completed
by staff in our back office is reported complete to a scheduler that takes completions. Moves made by
the system (`actor` empty: an inbound scheduler update) are not echoed back to the scheduler.
"""

from __future__ import annotations

import logging

from django.dispatch import receiver

from repairs.models import JobState
from workflows.events import job_transitioned
from workflows.models import JobEvent

from .adapters import adapter_class
from .models import AppointmentStatus
from .port import Capability
from .selectors import live_appointment

logger = logging.getLogger(__name__)

RELEASING_ACTIONS = {"cancel", "reject", "merge", "hold"}
FOLLOWED = RELEASING_ACTIONS | {"record_no_access", "resume", "complete"}


@receiver(job_transitioned, dispatch_uid="scheduling.follow_lifecycle")
def follow_lifecycle(sender, *, job_id: int, event_id: int, action: str, **kwargs) -> None:
    if action not in FOLLOWED:
        return
    event = JobEvent.objects.select_related("job").filter(pk=event_id).first()
    if event is None:
        return
    from .booking import release_appointment
    from .lifecycle import advance

    appointment = live_appointment(event.job)
    if action == "resume":
        if appointment is None and event.job.state == JobState.SCHEDULED:
            advance(event.job, ["unschedule"], note="Resumed with no appointment: book a new visit.")
        return
    if appointment is None:
        return
    if action in RELEASING_ACTIONS:
        # A job that is over needs no "we will arrange another visit"; one on hold does.
        release_appointment(
            appointment=appointment,
            status=AppointmentStatus.CANCELLED,
            note=event.note,
            public=action == "hold",
        )
    elif action == "record_no_access":
        release_appointment(appointment=appointment, status=AppointmentStatus.NO_ACCESS, note=event.note)
    elif (
        event.actor_id is not None
        and Capability.COMPLETE in adapter_class(appointment.adapter_key).capabilities
    ):
        _send_completion(appointment.pk)


def _send_completion(appointment_id: int) -> None:
    from .tasks import send_completion

    try:
        send_completion.delay(appointment_id)
    except Exception:
        logger.error("Could not queue the completion of appointment %s", appointment_id, exc_info=True)
