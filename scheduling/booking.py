"""Offering slots, booking, moving, cancelling and releasing appointments.

Local schedulers (the built-in calendar, contractor hand-off) answer in the request. Outside ones
(DRS, Total Mobile, CalDAV) are asked from a Celery task: the appointment waits as "requested" and its
"needs booking" row (the outbox, written in the same transaction) makes sure it is sent even when the
broker is down. Each booking looks up its routing rule and describes the job once.

`by` is the member of staff acting; `None` is the resident (online or through the API), and a home
with a cautionary alert is never booked by a resident: the job joins the call-back queue instead.
"""

from __future__ import annotations

import datetime
import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from repairs.models import Job

from . import timeline
from .job_description import has_blocking_alert, job_spec
from .lifecycle import advance
from .models import Appointment, AppointmentStatus, SchedulerKind
from .port import (
    LONDON,
    PAGE_DAYS,
    Booking,
    BookingStatus,
    Capability,
    JobSpec,
    SchedulerAdapter,
    SchedulerError,
    Slot,
    SlotPage,
    SlotUnavailable,
    Window,
)
from .queue import enqueue_call_back, enqueue_for_booking, enqueue_request, resolve_queue
from .routing import (
    CALL_BACK_REASON,
    NotBookableOnline,
    Routing,
    adapter_for_appointment,
    online_routing,
    routing_for,
)
from .selectors import job_reference, live_appointment, rule_for_job

logger = logging.getLogger(__name__)

LOCAL_KINDS = {SchedulerKind.BUILTIN, SchedulerKind.CONTRACTOR}


# --- slots -------------------------------------------------------------------------------------


def slots_for_job(*, job: Job, start: datetime.datetime | None = None, days: int = PAGE_DAYS) -> SlotPage:
    """One page of slots the resident may choose from, starting at `start` (default: now).

    `job` may be unsaved (the resident has not confirmed the report yet): its place, trade, priority
    and size are enough. Not bookable online raises `NotBookableOnline` with a `reason`.
    """
    routing = online_routing(job)
    start = start or timezone.now()
    window = Window(start, start + datetime.timedelta(days=days))
    return routing.adapter.available_slots(job_spec(job, rule=routing.rule), window)


# --- booking -----------------------------------------------------------------------------------


def book_appointment(*, job: Job, slot: Slot | None, by: AbstractBaseUser | None = None) -> Appointment:
    """Book `job` (into `slot` where the scheduler offers slots); a booked job returns its appointment.

    The chosen slot is checked again: one gone meanwhile raises `SlotUnavailable` ("choose another
    time") and the report stays saved. Outside schedulers are asked after commit.
    """
    existing = live_appointment(job)
    if existing is not None:
        return existing
    try:
        if by is None and has_blocking_alert(job):
            raise NotBookableOnline(
                "We will call you to arrange a visit.", reason=NotBookableOnline.CALL_BACK
            )
        routing = routing_for(job)
    except NotBookableOnline as error:
        if error.reason == NotBookableOnline.CALL_BACK:
            enqueue_call_back(job=job, reason=CALL_BACK_REASON)
        else:
            enqueue_for_booking(job=job, appointment=None, error=error)
        raise
    spec = job_spec(job, rule=routing.rule)
    if routing.connection.kind in LOCAL_KINDS:
        return _book_now(job, routing, spec, slot, by=by)
    if slot is not None and routing.adapter.can(Capability.SLOTS):
        _check_still_offered(routing.adapter, spec, slot)
    with transaction.atomic():
        appointment = Appointment.objects.create(
            job=job,
            connection=routing.connection,
            adapter_key=routing.connection.kind,
            status=AppointmentStatus.REQUESTED,
            starts_at=slot.start if slot else None,
            ends_at=slot.end if slot else None,
            minutes=spec.minutes,
            message="We are confirming this appointment with our repairs team.",
        )
        _assign_team(job, routing)
        enqueue_request(job=job, appointment=appointment)
        transaction.on_commit(lambda: send_booking_soon(appointment.pk))
    return appointment


def send_booking_soon(appointment_id: int) -> None:
    """The fast path: a task now. A broker that is down is logged; beat sends the outbox row later."""
    from .tasks import send_booking

    try:
        send_booking.delay(appointment_id)
    except Exception:  # the broker's client raises its own errors; none may reach the resident
        logger.warning("Could not queue booking %s now; beat will send it", appointment_id, exc_info=True)


def _book_now(
    job: Job, routing: Routing, spec: JobSpec, slot: Slot | None, *, by: AbstractBaseUser | None
) -> Appointment:
    with transaction.atomic():
        booking = routing.adapter.book(spec, slot)
        try:
            with transaction.atomic():
                appointment = Appointment(
                    job=job,
                    connection=routing.connection,
                    adapter_key=routing.connection.kind,
                    minutes=spec.minutes,
                )
                _fill(appointment, booking)
                appointment.save()
        except IntegrityError:
            return live_appointment(job)  # a second request for the same job got there first
        _assign_team(job, routing)
        _booked(job, appointment, booking, by=by)
    return appointment


def _check_still_offered(adapter: SchedulerAdapter, spec: JobSpec, slot: Slot) -> None:
    """Ask the scheduler whether `slot` is still offered; a scheduler that does not answer is no refusal."""
    day = slot.start.astimezone(LONDON).date()
    start = datetime.datetime.combine(day, datetime.time(), LONDON)
    try:
        page = adapter.available_slots(spec, Window(start, start + datetime.timedelta(days=1)))
    except SchedulerError as error:
        logger.info("Could not check slot %s again: %s", slot.key, error.message)
        return
    if not any((s.start, s.end) == (slot.start, slot.end) for s in page.slots):
        raise SlotUnavailable()


def deliver_booking(appointment: Appointment) -> Appointment:
    """Send a requested appointment to its scheduler (from a task or beat). Failures go to the queue.

    The appointment's row is locked while the scheduler is asked, so a task and beat delivering the
    same request at once send it once.
    """
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("job", "connection")
            .get(pk=appointment.pk)
        )
        job = appointment.job
        if appointment.status != AppointmentStatus.REQUESTED:
            resolve_queue(job)
            return appointment
        rule = rule_for_job(job)
        adapter = adapter_for_appointment(appointment, rule=rule)
        slot = Slot(appointment.starts_at, appointment.ends_at) if appointment.starts_at else None
        try:
            booking = adapter.book(job_spec(job, rule=rule), slot)
        except SchedulerError as error:
            if not error.retryable:
                appointment.status = AppointmentStatus.FAILED
                appointment.message = error.message
                appointment.save(update_fields=["status", "message", "updated_at"])
            enqueue_for_booking(job=job, appointment=appointment, error=error)
            return appointment
        _fill(appointment, booking)
        appointment.save()
        resolve_queue(job)
        _booked(job, appointment, booking, by=None)
    return appointment


def record_contractor_visit(
    *, appointment: Appointment, slot: Slot, by: AbstractBaseUser | None
) -> Appointment:
    """The visit time a contractor arranged (entered by staff): the job is scheduled for it."""
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
        if appointment.status not in (AppointmentStatus.WITH_CONTRACTOR, AppointmentStatus.BOOKED):
            raise SchedulerError(
                "Only an appointment the contractor arranges can be given a visit time.", retryable=False
            )
        moved = appointment.status == AppointmentStatus.BOOKED
        appointment.starts_at, appointment.ends_at = slot.start, slot.end
        appointment.status = AppointmentStatus.BOOKED
        appointment.save()
        job = appointment.job
        if moved:
            timeline.record_moved(job, appointment, by=by)
        else:
            timeline.record_booked(job, appointment, by=by)
            advance(job, ["schedule"], by=by, note=f"Contractor visit: {slot.start:%d %b %Y %H:%M}")
    return appointment


def reschedule_appointment(
    *, appointment: Appointment, slot: Slot, by: AbstractBaseUser | None = None
) -> Appointment:
    """Move a booked appointment to `slot` (staff or resident action; the scheduler is asked now)."""
    if appointment.status != AppointmentStatus.BOOKED:
        raise SchedulerError("Only a booked appointment can be moved.", retryable=False)
    job = appointment.job
    adapter = adapter_for_appointment(appointment)
    if not adapter.can(Capability.RESCHEDULE):
        raise SchedulerError("This appointment cannot be moved online: please call us.", retryable=False)
    booking = adapter.reschedule(job_spec(job), booking_of(appointment), slot)
    with transaction.atomic():
        _fill(appointment, booking)
        appointment.save()
        timeline.record_moved(job, appointment, by=by)
    return appointment


# --- ending an appointment ---------------------------------------------------------------------


def cancel_appointment(
    *, appointment: Appointment, by: AbstractBaseUser | None = None, note: str = ""
) -> Appointment:
    """Cancel the appointment (staff or the resident); the job goes back to be booked.

    Our records change now; the scheduler is told in the same transaction (local) or after commit.
    """
    return release_appointment(appointment=appointment, status=AppointmentStatus.CANCELLED, by=by, note=note)


def release_appointment(
    *,
    appointment: Appointment,
    status: str,
    by: AbstractBaseUser | None = None,
    note: str = "",
    tell_scheduler: bool = True,
    public: bool = True,
) -> Appointment:
    """End a live appointment without a visit (cancelled, no access, on hold) so the job can be booked
    again, by staff or the resident, into a new slot.

    A cancellation is recorded as `appointment_cancelled` and a scheduled job is unscheduled; after no
    access the lifecycle's own `record_no_access` says it. `tell_scheduler=False` when the scheduler
    itself told us (its record already reads so); `public=False` when the job itself is over.
    """
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("job", "connection")
            .get(pk=appointment.pk)
        )
        if not appointment.is_live:
            return appointment
        job = appointment.job
        appointment.status = status
        appointment.save(update_fields=["status", "updated_at"])
        resolve_queue(job)
        if tell_scheduler:
            _free_at_scheduler(appointment)
        if status == AppointmentStatus.CANCELLED:
            timeline.record_cancelled(job, appointment, by=by, note=note, public=public)
            advance(job, ["unschedule"], note=note or "The appointment was cancelled.")
    return appointment


def _free_at_scheduler(appointment: Appointment) -> None:
    if appointment.connection.kind in LOCAL_KINDS:
        deliver_cancellation(appointment)  # our own database: frees the slot in the same transaction
    elif appointment.external_ref:
        pk = appointment.pk
        transaction.on_commit(lambda: _send_cancellation_soon(pk))


def _send_cancellation_soon(appointment_id: int) -> None:
    from .tasks import send_cancellation

    try:
        send_cancellation.delay(appointment_id)
    except Exception:
        logger.error("Could not queue the cancellation of appointment %s", appointment_id, exc_info=True)


def deliver_cancellation(appointment: Appointment) -> Booking:
    adapter = adapter_for_appointment(appointment)
    return adapter.cancel(job_spec(appointment.job), booking_of(appointment))


def deliver_completion(appointment: Appointment) -> None:
    adapter = adapter_for_appointment(appointment)
    if adapter.can(Capability.COMPLETE):
        adapter.complete(job_spec(appointment.job), booking_of(appointment))


# --- helpers -----------------------------------------------------------------------------------


def _booked(job: Job, appointment: Appointment, booking: Booking, *, by: AbstractBaseUser | None) -> None:
    """Record what the resident reads and move the job: a visit schedules it; a hand-off does not."""
    if appointment.status == AppointmentStatus.WITH_CONTRACTOR:
        contact_by = booking.provider_data.get("contact_by")
        timeline.record_contractor_will_contact(
            job, appointment, datetime.date.fromisoformat(contact_by) if contact_by else None
        )
        return
    timeline.record_booked(job, appointment, by=by)
    advance(
        job,
        ["schedule"],
        by=by,
        note=f"Appointment booked: {booking.slot.label if booking.slot else ''}".strip(),
    )


def _fill(appointment: Appointment, booking: Booking) -> None:
    appointment.status = (
        AppointmentStatus.WITH_CONTRACTOR
        if booking.status == BookingStatus.WITH_CONTRACTOR
        else AppointmentStatus.BOOKED
    )
    appointment.external_ref = booking.external_ref
    appointment.booking_ref = booking.booking_ref
    if booking.slot is not None:
        appointment.starts_at, appointment.ends_at = booking.slot.start, booking.slot.end
    appointment.operative_name = booking.operative
    appointment.message = booking.message


def booking_of(appointment: Appointment) -> Booking:
    """Our appointment as the port's `Booking`, for an adapter to move, cancel or complete."""
    slot = (
        Slot(appointment.starts_at, appointment.ends_at)
        if appointment.starts_at and appointment.ends_at
        else None
    )
    return Booking(
        job_reference=job_reference(appointment.job),
        status=BookingStatus.BOOKED,
        external_ref=appointment.external_ref,
        booking_ref=appointment.booking_ref,
        slot=slot,
    )


def _assign_team(job: Job, routing: Routing) -> None:
    rule = routing.rule
    if rule.team_id and not job.assignee_id:
        Job.objects.filter(pk=job.pk, assignee__isnull=True).update(assignee=rule.team)
