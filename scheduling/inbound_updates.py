"""Applying what a scheduler tells us: a visit booked or moved in its own screens, the operative on
the way or arrived, the work done, no access, or the visit cancelled.

Each update records the appointment and the public event, then asks the lifecycle for the moves that
apply now (`lifecycle.advance`), all in one transaction, as the system (no user).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from repairs.models import Job

from . import timeline
from .booking import release_appointment
from .lifecycle import advance
from .models import LIVE_STATUSES, Appointment, AppointmentStatus, SchedulerConnection
from .port import LONDON, BookingUpdate, SchedulerError, UpdateKind
from .queue import resolve_queue
from .selectors import job_for_reference

# The moves each kind of update asks for, in order; each is taken only where the lifecycle allows it.
MOVES: dict[UpdateKind, list[str]] = {
    UpdateKind.CONFIRMED: ["schedule"],
    UpdateKind.ARRIVED: ["start_work"],
    UpdateKind.COMPLETED: ["start_work", "complete"],
    UpdateKind.NO_ACCESS: ["record_no_access"],
}


def apply_update(*, connection: SchedulerConnection, update: BookingUpdate) -> Job:
    """Apply one update a scheduler pushed; an unknown job reference is a non-retryable refusal."""
    job = job_for_reference(update.job_reference)
    if job is None:
        raise SchedulerError(f"No job has the reference '{update.job_reference}'.", retryable=False)
    note = _note(connection, update)
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("connection")
            .filter(job=job, status__in=LIVE_STATUSES)
            .first()
        )
        if update.kind == UpdateKind.CONFIRMED:
            _confirm(job, connection, appointment, update)
        elif appointment is not None:
            _record_details(appointment, update)
        if update.kind == UpdateKind.CANCELLED and appointment is not None:
            release_appointment(
                appointment=appointment, status=AppointmentStatus.CANCELLED, note=note, tell_scheduler=False
            )
        elif update.kind == UpdateKind.NO_ACCESS and appointment is not None:
            release_appointment(appointment=appointment, status=AppointmentStatus.NO_ACCESS, note=note)
        elif update.kind in (UpdateKind.ON_THE_WAY, UpdateKind.ARRIVED):
            action = timeline.ON_THE_WAY if update.kind == UpdateKind.ON_THE_WAY else timeline.ARRIVED
            if _last_action(job) != action:  # a repeated push is one event
                timeline.record_operative(job, action, note=note)
        job = advance(
            job,
            MOVES.get(update.kind, []),
            note=note,
            quiet=frozenset({"start_work"}) if update.kind == UpdateKind.ARRIVED else frozenset(),
        )
    return job


def _confirm(
    job: Job, connection: SchedulerConnection, appointment: Appointment | None, update: BookingUpdate
) -> None:
    """A visit booked (or moved) in the scheduler: the appointment is booked for that time."""
    if appointment is None:
        appointment = Appointment(job=job, connection=connection, adapter_key=connection.kind)
    was_booked = appointment.pk is not None and appointment.status == AppointmentStatus.BOOKED
    before = (appointment.starts_at, appointment.ends_at)
    _record_details(appointment, update, save=False)
    appointment.status = AppointmentStatus.BOOKED
    appointment.save()
    resolve_queue(job)
    if not was_booked:
        timeline.record_booked(job, appointment)
    elif (appointment.starts_at, appointment.ends_at) != before:
        timeline.record_moved(job, appointment)


def _record_details(appointment: Appointment, update: BookingUpdate, *, save: bool = True) -> None:
    changed = False
    if update.slot is not None:
        appointment.starts_at, appointment.ends_at = update.slot.start, update.slot.end
        changed = True
    if update.external_ref:
        appointment.external_ref = update.external_ref
        changed = True
    if update.operative:
        appointment.operative_name = update.operative
        changed = True
    if save and changed:
        appointment.save()


def _last_action(job: Job) -> str | None:
    return job.events.order_by("-occurred_at", "-id").values_list("action", flat=True).first()


def _note(connection: SchedulerConnection, update: BookingUpdate) -> str:
    parts = [f"{connection.get_kind_display()}: {update.kind.value.replace('_', ' ')}"]
    if update.slot:
        parts.append(f"visit {timezone.localtime(update.slot.start, LONDON):%d %b %Y %H:%M}")
    if update.operative:
        parts.append(f"operative {update.operative}")
    if update.note:
        parts.append(update.note)
    return "; ".join(parts)
