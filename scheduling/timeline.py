"""The events scheduling records on a job's history, and the words residents read beside them.

Public actions (the resident's timeline words them; `public_note` carries the facts, never a name):

- `appointment_booked`: public_note is the visit in words ("Tuesday 3 March 2026, morning (8am to 12pm)")
- `appointment_moved`: public_note is the new visit in words
- `appointment_cancelled`: no public_note (the timeline's own words say a new visit will be arranged)
- `contractor_will_contact`: public_note is the date ("Friday 6 March 2026")
- `operative_on_the_way`, `operative_arrived`: no public_note

The lifecycle moves these go with are left to the lifecycle's own defaults (`schedule` and
`unschedule` are internal there), except `start_work` after `operative_arrived`, recorded as not
public because the arrival says it better. No access is the lifecycle's public `record_no_access`.
Each event is recorded inside the transaction that made the change (`workflows.services.record_event`).
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.utils import formats
from django.utils.translation import gettext as _

from repairs.models import Job
from workflows.services import record_event

from .models import SLOT_TIMES, Appointment, SlotShape
from .port import LONDON

BOOKED = "appointment_booked"
MOVED = "appointment_moved"
CANCELLED = "appointment_cancelled"
CONTRACTOR_WILL_CONTACT = "contractor_will_contact"
ON_THE_WAY = "operative_on_the_way"
ARRIVED = "operative_arrived"


def _clock(value: datetime.time) -> str:
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return (_("%(time)sam") if value.hour < 12 else _("%(time)spm")) % {"time": f"{hour}{minutes}"}


def date_in_words(day: datetime.date) -> str:
    """'Tuesday 3 March 2026' in the language active when the event is recorded (the resident's, for
    a booking made from the journey or the status page)."""
    return formats.date_format(day, "l j F Y")


def visit_in_words(start: datetime.datetime | None, end: datetime.datetime | None) -> str:
    """'Tuesday 3 March 2026, morning (8am to 12pm)'; a time that is no slot shape reads '8am to 10am'."""
    if start is None:
        return ""
    start = start.astimezone(LONDON)
    day = date_in_words(start.date())
    if end is None:
        return f"{day}, {_clock(start.time())}"
    end = end.astimezone(LONDON)
    times = (start.time().replace(tzinfo=None), end.time().replace(tzinfo=None))
    for shape, shape_times in SLOT_TIMES.items():
        if times == shape_times and start.date() == end.date():
            label = str(SlotShape(shape).label)
            return f"{day}, {label[0].lower()}{label[1:]}"
    return _("%(day)s, %(start)s to %(end)s") % {
        "day": day,
        "start": _clock(times[0]),
        "end": _clock(times[1]),
    }


def _visit(appointment: Appointment) -> str:
    return visit_in_words(appointment.starts_at, appointment.ends_at)


def _staff_note(appointment: Appointment, what: str) -> str:
    parts = [f"{what} with {appointment.connection}"]
    if appointment.operative_name:
        parts.append(f"operative {appointment.operative_name}")
    if appointment.external_ref:
        parts.append(f"ref {appointment.external_ref}")
    return "; ".join(parts)


def record_booked(job: Job, appointment: Appointment, *, by: AbstractBaseUser | None = None) -> None:
    record_event(
        job,
        BOOKED,
        by=by,
        note=_staff_note(appointment, "Booked"),
        public=True,
        public_note=_visit(appointment),
    )


def record_moved(job: Job, appointment: Appointment, *, by: AbstractBaseUser | None = None) -> None:
    record_event(
        job,
        MOVED,
        by=by,
        note=_staff_note(appointment, "Moved"),
        public=True,
        public_note=_visit(appointment),
    )


def record_cancelled(
    job: Job,
    appointment: Appointment,
    *,
    by: AbstractBaseUser | None = None,
    note: str = "",
    public: bool = True,
) -> None:
    record_event(job, CANCELLED, by=by, note=note or _staff_note(appointment, "Cancelled"), public=public)


def record_contractor_will_contact(
    job: Job, appointment: Appointment, contact_by: datetime.date | None
) -> None:
    record_event(
        job,
        CONTRACTOR_WILL_CONTACT,
        note=appointment.message,
        public=True,
        public_note=date_in_words(contact_by) if contact_by else "",
    )


def record_operative(job: Job, action: str, *, note: str = "") -> None:
    """The scheduler says the operative is on the way (`ON_THE_WAY`) or has arrived (`ARRIVED`)."""
    record_event(job, action, note=note, public=True)
