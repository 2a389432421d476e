"""Booking for staff, through the scheduler's port: the slots a member of staff may offer a caller.

Residents are offered slots by `scheduling.booking.slots_for_job`, which refuses homes with a
cautionary alert and jobs the contractor arranges: staff may book those (they have read the alert, or
hand the job to the contractor), so the back office asks the routed scheduler for slots itself.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from repairs.models import Job
from scheduling.job_description import job_spec
from scheduling.models import SchedulerKind
from scheduling.port import PAGE_DAYS, Capability, SchedulerError, Slot, Window
from scheduling.routing import NotBookableOnline, routing_for


@dataclass(frozen=True)
class StaffSlots:
    slots: list[Slot]
    next_start: datetime.datetime | None
    contractor_arranges: bool
    problem: str = ""


def staff_slots(job: Job, *, start: datetime.datetime | None = None) -> StaffSlots:
    """A week of slots from `start`, or why there are none (a contractor arranges it, no rule, a
    scheduler that did not answer)."""
    try:
        routing = routing_for(job)
    except NotBookableOnline as error:
        return StaffSlots([], None, False, error.message)
    if routing.connection.kind == SchedulerKind.CONTRACTOR or not routing.adapter.can(Capability.SLOTS):
        return StaffSlots([], None, True)
    start = start or timezone.now()
    try:
        page = routing.adapter.available_slots(
            job_spec(job, rule=routing.rule), Window(start, start + datetime.timedelta(days=PAGE_DAYS))
        )
    except SchedulerError as error:
        return StaffSlots([], None, False, error.message)
    return StaffSlots(page.slots, page.next_start, False)
