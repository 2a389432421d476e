"""Writes of scheduling: offering slots, booking, rescheduling, cancelling, and applying what
schedulers tell us.

Local schedulers (the built-in calendar, contractor hand-off) answer in the request. Outside ones
(DRS, Total Mobile, CalDAV) are called from Celery tasks after the database commit: the resident's
report is saved first, an appointment waits as "requested", and if the scheduler fails the job joins
the visible "needs booking" queue, which a periodic task retries with backoff. Nothing a resident
told us is lost because a scheduler is down.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from repairs.models import Job, JobState
from workflows.errors import LifecycleError
from workflows.services import transition_job

from .adapters import adapter_for
from .models import (
    Appointment,
    AppointmentStatus,
    NeedsBooking,
    RoutingRule,
    SchedulerConnection,
    SchedulerKind,
)
from .port import (
    LONDON,
    PAGE_DAYS,
    Booking,
    BookingStatus,
    BookingUpdate,
    Capability,
    JobSpec,
    SchedulerAdapter,
    SchedulerError,
    Slot,
    SlotPage,
    SorLine,
    UpdateKind,
    Window,
)
from .selectors import job_for_reference, job_reference, live_appointment, rule_for_job

logger = logging.getLogger(__name__)

LOCAL_KINDS = {SchedulerKind.BUILTIN, SchedulerKind.CONTRACTOR}
MAX_ATTEMPTS = 12
SCHEDULABLE_FROM = {JobState.REPORTED, JobState.TRIAGED, JobState.NO_ACCESS}


class NotBookableOnline(SchedulerError):
    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=False)


@dataclass(frozen=True)
class Routing:
    rule: RoutingRule
    adapter: SchedulerAdapter

    @property
    def connection(self) -> SchedulerConnection:
        return self.rule.connection


# --- what a scheduler is told ----------------------------------------------------------------


def job_spec(job: Job, *, rule: RoutingRule | None = None) -> JobSpec:
    """Describe `job` for a scheduler: where, what trade and size, how urgent, who to contact."""
    location = job.location
    report = job.reports.order_by("created_at", "id").first()
    if job.property_id:
        address = ", ".join(p for p in (location.address_line_1, location.address_line_2, location.town) if p)
        postcode, location_id = location.postcode, location.property_ref
    else:
        parent = location.block or location.estate
        address = f"{location.name}, {parent}" if parent else location.name
        postcode = getattr(parent, "postcode", "") or ""
        location_id = f"CA-{location.pk}"
    sor_lines = ()
    if job.sor_code_id:
        sor = job.sor_code
        sor_lines = (
            SorLine(code=sor.code, standard_minutes=sor.standard_minutes, description=sor.description),
        )
    return JobSpec(
        reference=job_reference(job),
        trade=job.trade.code,
        size=job.size,
        priority=job.priority.code,
        target_date=timezone.localtime(job.due_at, LONDON).date() if job.due_at else None,
        location_id=location_id,
        address=address,
        postcode=postcode,
        is_communal=job.is_communal,
        sor_lines=sor_lines,
        description=job.description,
        contact_name=report.contact_name if report else "",
        contact_phone=report.contact_phone if report else "",
        access_notes=report.access_notes if report else "",
        team_id=rule.team_id if rule else None,
    )


def routing_for(job: Job) -> Routing:
    rule = rule_for_job(job)
    if rule is None:
        raise NotBookableOnline(
            "No routing rule covers this kind of repair yet. We will arrange the appointment and contact you."
        )
    options = {}
    if rule.connection.kind == SchedulerKind.CONTRACTOR:
        options = {
            "contractor_name": rule.team.name if rule.team_id else "",
            "contact_within_days": rule.contact_within_days,
        }
    return Routing(rule=rule, adapter=adapter_for(rule.connection, **options))


def _adapter_for_appointment(appointment: Appointment) -> SchedulerAdapter:
    rule = rule_for_job(appointment.job)
    options = {}
    if appointment.connection.kind == SchedulerKind.CONTRACTOR and rule is not None:
        options = {
            "contractor_name": rule.team.name if rule.team_id else "",
            "contact_within_days": rule.contact_within_days,
        }
    return adapter_for(appointment.connection, **options)


# --- slots -------------------------------------------------------------------------------------


def can_book_online(job: Job) -> bool:
    rule = rule_for_job(job)
    return bool(
        rule
        and rule.residents_book_online
        and not job.priority.is_emergency
        and Capability.SLOTS in routing_for(job).adapter.capabilities
    )


def slots_for_job(*, job: Job, start: datetime.datetime | None = None, days: int = PAGE_DAYS) -> SlotPage:
    """One page of slots the resident may choose from, starting at `start` (default: now)."""
    if job.priority.is_emergency:
        raise NotBookableOnline("Emergencies are not booked online: call us now.")
    routing = routing_for(job)
    if not routing.rule.residents_book_online or not routing.adapter.can(Capability.SLOTS):
        raise NotBookableOnline(
            "This repair is arranged with you directly; you do not need to choose a time."
        )
    start = start or timezone.now()
    window = Window(start, start + datetime.timedelta(days=days))
    return routing.adapter.available_slots(job_spec(job, rule=routing.rule), window)


# --- booking -----------------------------------------------------------------------------------


def book_appointment(*, job: Job, slot: Slot | None) -> Appointment:
    """Book `job` (into `slot` where the scheduler offers slots); a booked job returns its appointment.

    Local schedulers answer now: a slot someone else has just taken raises `SlotUnavailable` with a
    message for the resident. Outside schedulers are asked after commit; the appointment waits as
    "requested" and, if the scheduler fails, the job joins the "needs booking" queue.
    """
    existing = live_appointment(job)
    if existing is not None:
        return existing
    try:
        routing = routing_for(job)
    except NotBookableOnline as error:
        enqueue_for_booking(job=job, appointment=None, error=error)
        raise
    if routing.connection.kind in LOCAL_KINDS:
        return _book_now(job, routing, slot)
    with transaction.atomic():
        appointment = Appointment.objects.create(
            job=job,
            connection=routing.connection,
            adapter_key=routing.connection.kind,
            status=AppointmentStatus.REQUESTED,
            starts_at=slot.start if slot else None,
            ends_at=slot.end if slot else None,
            minutes=job_spec(job).minutes,
            message="We are confirming this appointment with our repairs team.",
        )
        _assign_team(job, routing.rule)
        from .tasks import send_booking

        transaction.on_commit(lambda: send_booking.delay(appointment.pk))
    return appointment


def _book_now(job: Job, routing: Routing, slot: Slot | None) -> Appointment:
    spec = job_spec(job, rule=routing.rule)
    with transaction.atomic():
        booking = routing.adapter.book(spec, slot)
        try:
            with transaction.atomic():
                appointment = _record_booking(job, routing.connection, booking, minutes=spec.minutes)
        except IntegrityError:
            return live_appointment(job)  # a second request for the same job got there first
        _assign_team(job, routing.rule)
    _schedule_job(job, booking)
    return appointment


def deliver_booking(appointment: Appointment) -> Appointment:
    """Send a requested appointment to its scheduler (from a task). Failures go to the queue."""
    appointment = Appointment.objects.select_related("job", "connection").get(pk=appointment.pk)
    if appointment.status != AppointmentStatus.REQUESTED:
        _resolve_queue(appointment.job)
        return appointment
    job = appointment.job
    rule = rule_for_job(job)
    adapter = _adapter_for_appointment(appointment)
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
    with transaction.atomic():
        _apply_booking(appointment, booking)
        _resolve_queue(job)
    _schedule_job(job, booking)
    return appointment


def reschedule_appointment(*, appointment: Appointment, slot: Slot) -> Appointment:
    """Move a booked appointment to `slot` (staff or resident action; the scheduler is asked now)."""
    if appointment.status != AppointmentStatus.BOOKED:
        raise SchedulerError("Only a booked appointment can be moved.", retryable=False)
    adapter = _adapter_for_appointment(appointment)
    booking = adapter.reschedule(job_spec(appointment.job), _booking_of(appointment), slot)
    with transaction.atomic():
        _apply_booking(appointment, booking)
    return appointment


def cancel_appointment(*, appointment: Appointment) -> Appointment:
    """Cancel the appointment now in our records; the scheduler is told after commit (a task)."""
    if not appointment.is_live:
        return appointment
    with transaction.atomic():
        appointment.status = AppointmentStatus.CANCELLED
        appointment.save(update_fields=["status", "updated_at"])
        _resolve_queue(appointment.job)
        if appointment.connection.kind in LOCAL_KINDS:
            deliver_cancellation(appointment)  # our own database: frees the slot in the same transaction
        elif appointment.external_ref:
            from .tasks import send_cancellation

            transaction.on_commit(lambda: send_cancellation.delay(appointment.pk))
    return appointment


def deliver_cancellation(appointment: Appointment) -> Booking:
    adapter = _adapter_for_appointment(appointment)
    return adapter.cancel(job_spec(appointment.job), _booking_of(appointment))


def deliver_completion(appointment: Appointment) -> None:
    adapter = _adapter_for_appointment(appointment)
    if adapter.can(Capability.COMPLETE):
        adapter.complete(job_spec(appointment.job), _booking_of(appointment))


# --- the "needs booking" queue -----------------------------------------------------------------


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4 … minutes between tries, at most an hour."""
    return datetime.timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def enqueue_for_booking(*, job: Job, appointment: Appointment | None, error: SchedulerError) -> NeedsBooking:
    now = timezone.now()
    with transaction.atomic():
        entry = NeedsBooking.objects.select_for_update().filter(job=job, resolved_at__isnull=True).first()
        if entry is None:
            entry = NeedsBooking(job=job, reason=error.message[:255])
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


def retry_due_bookings(*, now: datetime.datetime | None = None) -> int:
    """Try again every queued booking whose time has come; returns how many were tried."""
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


def _resolve_queue(job: Job) -> None:
    NeedsBooking.objects.filter(job=job, resolved_at__isnull=True).update(resolved_at=timezone.now())


# --- inbound updates ---------------------------------------------------------------------------


def apply_update(*, connection: SchedulerConnection, update: BookingUpdate) -> Job:
    """Apply one update a scheduler pushed: record the visit, then move the job through the lifecycle."""
    job = job_for_reference(update.job_reference)
    if job is None:
        raise SchedulerError(f"No job has the reference '{update.job_reference}'.", retryable=False)
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update().filter(job=job, status__in=_LIVE_OR_REQUESTED).first()
        )
        if appointment is None and update.kind == UpdateKind.CONFIRMED:
            appointment = Appointment(job=job, connection=connection, adapter_key=connection.kind)
        if appointment is not None:
            if update.slot is not None:
                appointment.starts_at, appointment.ends_at = update.slot.start, update.slot.end
            if update.external_ref:
                appointment.external_ref = update.external_ref
            if update.operative:
                appointment.operative_name = update.operative
            if update.kind == UpdateKind.CANCELLED:
                appointment.status = AppointmentStatus.CANCELLED
            elif (
                appointment.status in (AppointmentStatus.REQUESTED, AppointmentStatus.WITH_CONTRACTOR)
                or not appointment.pk
            ):
                appointment.status = AppointmentStatus.BOOKED
            appointment.save()
            if appointment.status == AppointmentStatus.BOOKED:
                _resolve_queue(job)
    for action in _actions_for(update.kind, job):
        job = _transition(job, action, note=_note(connection, update))
    return job


_LIVE_OR_REQUESTED = [
    AppointmentStatus.REQUESTED,
    AppointmentStatus.BOOKED,
    AppointmentStatus.WITH_CONTRACTOR,
]


def _actions_for(kind: UpdateKind, job: Job) -> list[str]:
    state = job.state
    if kind == UpdateKind.CONFIRMED:
        return ["schedule"] if state in SCHEDULABLE_FROM else []
    if kind == UpdateKind.ARRIVED:
        return ["start_work"] if state == JobState.SCHEDULED else []
    if kind == UpdateKind.COMPLETED:
        if state == JobState.SCHEDULED:
            return ["start_work", "complete"]
        return ["complete"] if state == JobState.IN_PROGRESS else []
    if kind == UpdateKind.NO_ACCESS:
        return ["record_no_access"] if state in (JobState.SCHEDULED, JobState.IN_PROGRESS) else []
    return []


def _note(connection: SchedulerConnection, update: BookingUpdate) -> str:
    parts = [f"{connection.get_kind_display()}: {update.kind.value.replace('_', ' ')}"]
    if update.slot:
        parts.append(f"visit {timezone.localtime(update.slot.start, LONDON):%d %b %Y %H:%M}")
    if update.operative:
        parts.append(f"operative {update.operative}")
    if update.note:
        parts.append(update.note)
    return "; ".join(parts)


# --- helpers -----------------------------------------------------------------------------------


def _record_booking(
    job: Job, connection: SchedulerConnection, booking: Booking, *, minutes: int
) -> Appointment:
    appointment = Appointment(job=job, connection=connection, adapter_key=connection.kind, minutes=minutes)
    _fill(appointment, booking)
    appointment.save()
    return appointment


def _apply_booking(appointment: Appointment, booking: Booking) -> None:
    _fill(appointment, booking)
    appointment.save()


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


def _booking_of(appointment: Appointment) -> Booking:
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


def _assign_team(job: Job, rule: RoutingRule) -> None:
    if rule.team_id and not job.assignee_id:
        Job.objects.filter(pk=job.pk, assignee__isnull=True).update(assignee=rule.team)


def _schedule_job(job: Job, booking: Booking) -> None:
    job.refresh_from_db(fields=["state"])
    if booking.status == BookingStatus.BOOKED and job.state in SCHEDULABLE_FROM:
        _transition(
            job, "schedule", note=f"Appointment booked: {booking.slot.label if booking.slot else ''}".strip()
        )


def _transition(job: Job, action: str, *, note: str) -> Job:
    """Move the job as the system; a refusal (already moved, someone else acted) is logged, not raised."""
    try:
        return transition_job(job, action, by=None, note=note)
    except LifecycleError as error:
        logger.info("Job %s: %s not applied: %s", job.pk, action, error)
        job.refresh_from_db(fields=["state"])
        return job
