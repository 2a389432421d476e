"""What scheduling does when the lifecycle moves a job (the `job_transitioned` signal, after commit).

A job cancelled, rejected or merged by staff frees its appointment in the scheduler. A job completed
by staff in our back office is reported complete to DRS. Moves made by the system (`actor` empty:
an inbound scheduler update) are not echoed back to the scheduler that sent them.
"""

from __future__ import annotations

import logging

from django.dispatch import receiver

from workflows.events import job_transitioned
from workflows.models import JobEvent

from .models import SchedulerKind
from .selectors import live_appointment

logger = logging.getLogger(__name__)

RELEASING_ACTIONS = {"cancel", "reject", "merge"}


@receiver(job_transitioned, dispatch_uid="scheduling.follow_lifecycle")
def follow_lifecycle(sender, *, job_id: int, event_id: int, action: str, **kwargs) -> None:
    if action not in RELEASING_ACTIONS and action != "complete":
        return
    event = JobEvent.objects.select_related("job").filter(pk=event_id).first()
    if event is None:
        return
    appointment = live_appointment(event.job)
    if appointment is None:
        return
    from .services import cancel_appointment
    from .tasks import send_completion

    if action in RELEASING_ACTIONS:
        cancel_appointment(appointment=appointment)
    elif (
        event.actor_id is not None
        and appointment.connection.kind == SchedulerKind.DRS
        and appointment.booking_ref
    ):
        send_completion.delay(appointment.pk)
