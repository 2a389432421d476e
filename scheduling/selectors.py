"""Reads the scheduling views, tasks and other apps share."""

from __future__ import annotations

from repairs.models import Job

from .models import LIVE_STATUSES, Appointment, NeedsBooking, RoutingRule

REFERENCE_PREFIX = "RO-"


def job_reference(job: Job) -> str:
    """Our work-order reference as schedulers see it (DRS primaryOrderNumber, calendar UID, TM reference)."""
    return f"{REFERENCE_PREFIX}{job.pk}"


def job_for_reference(reference: str) -> Job | None:
    value = reference.strip()
    if not value.startswith(REFERENCE_PREFIX) or not value[len(REFERENCE_PREFIX) :].isdigit():
        return None
    return Job.objects.filter(pk=int(value[len(REFERENCE_PREFIX) :])).first()


def rule_for_job(job: Job) -> RoutingRule | None:
    """The routing rule that decides who schedules and does the job: the most specific active match."""
    return RoutingRule.objects.matching(job).select_related("connection", "team", "trade").first()


def live_appointment(job: Job) -> Appointment | None:
    return Appointment.objects.filter(job=job, status__in=LIVE_STATUSES).select_related("connection").first()


def waiting_for_booking():
    """The "needs booking" queue as staff see it: oldest first, with the job's essentials."""
    return NeedsBooking.objects.waiting().select_related("job__trade", "job__property", "appointment")
