"""A shared CalDAV calendar as the scheduler: one calendar per team or gang, one event per visit.

For councils whose in-house team keeps a shared calendar and no scheduler. Slots are the slot shapes
on working days (no bank holidays); a slot is free when no event in the calendar overlaps it, since
one calendar is one crew. Booking writes a VEVENT whose UID is the job reference, so booking again
finds the same event (idempotent) and cancelling deletes it by UID.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import caldav
import icalendar
from caldav.lib import error as caldav_error

from workflows.sla import bank_holidays

from ..models import SLOT_TIMES, SlotShape
from ..port import (
    LONDON,
    Booking,
    BookingStatus,
    Capability,
    Health,
    JobSpec,
    SchedulerAdapter,
    SchedulerError,
    Slot,
    SlotUnavailable,
    Window,
)

UID_DOMAIN = "repairs-online"
DEFAULT_SHAPES = (SlotShape.MORNING, SlotShape.AFTERNOON)


class CalDavCalendar(SchedulerAdapter):
    key = "caldav"
    label = "Shared calendar (CalDAV)"
    capabilities = frozenset(
        {Capability.SLOTS, Capability.BOOK, Capability.RESCHEDULE, Capability.CANCEL, Capability.FETCH}
    )

    def __init__(self, connection, *, shapes: Sequence[str] = DEFAULT_SHAPES) -> None:
        self.connection = connection
        self.shapes = tuple(shapes)
        self.client = caldav.DAVClient(
            url=connection.endpoint_url,
            username=connection.username or None,
            password=connection.password or None,
            timeout=connection.timeout_seconds or 10,
            require_tls=False,  # an internal calendar server may be plain HTTP
        )
        self.calendar = self.client.calendar(url=connection.endpoint_url)

    # --- the port ---------------------------------------------------------------------------

    def slots_between(self, job: JobSpec, window: Window) -> Sequence[Slot]:
        busy = self._busy(window.start, window.end)
        slots = []
        day = window.start.date()
        while day <= window.end.date():
            if day.weekday() < 5 and day not in bank_holidays(day.year):
                for shape in self.shapes:
                    starts, ends = SLOT_TIMES[shape]
                    slot = Slot(
                        datetime.datetime.combine(day, starts, LONDON),
                        datetime.datetime.combine(day, ends, LONDON),
                        label=SlotShape(shape).label,
                        shape=shape,
                    )
                    inside = window.start <= slot.start and slot.end <= window.end
                    if inside and not _overlaps(slot, busy):
                        slots.append(slot)
            day += datetime.timedelta(days=1)
        return slots

    def book(self, job: JobSpec, slot: Slot | None) -> Booking:
        if slot is None:
            raise SchedulerError("The calendar needs an appointment slot to book.", retryable=False)
        existing = self._event(job)
        if existing is not None:
            return self._booking(job, existing)
        if _overlaps(slot, self._busy(slot.start, slot.end)):
            raise SlotUnavailable()
        self._guard(lambda: self.calendar.save_event(self._ical(job, slot)), "save the visit")
        return Booking(job.reference, BookingStatus.BOOKED, external_ref=_uid(job), slot=slot)

    def reschedule(self, job: JobSpec, booking: Booking, slot: Slot) -> Booking:
        event = self._event(job)
        if event is None:
            raise SchedulerError("The visit is no longer in the calendar; book it again.", retryable=False)
        others = [span for span in self._busy(slot.start, slot.end, except_uid=_uid(job))]
        if _overlaps(slot, others):
            raise SlotUnavailable()
        component = event.icalendar_component
        component["DTSTART"].dt = slot.start
        component["DTEND"].dt = slot.end
        self._guard(event.save, "move the visit")
        return Booking(job.reference, BookingStatus.BOOKED, external_ref=_uid(job), slot=slot)

    def cancel(self, job: JobSpec, booking: Booking) -> Booking:
        event = self._event(job)
        if event is None:
            return booking.with_status(BookingStatus.NOT_FOUND)
        try:
            event.delete()
        except caldav_error.NotFoundError:
            return booking.with_status(BookingStatus.NOT_FOUND)
        except caldav_error.DAVError as error:
            raise SchedulerError(
                f"The calendar would not delete the visit: {error}", retryable=True
            ) from error
        return booking.with_status(BookingStatus.CANCELLED)

    def fetch(self, job: JobSpec, booking: Booking) -> Booking:
        event = self._event(job)
        if event is None:
            return booking.with_status(BookingStatus.NOT_FOUND)
        return self._booking(job, event)

    def health(self) -> Health:
        try:
            name = self.calendar.get_display_name()
        except Exception as error:  # any failure to reach the server means unhealthy
            return Health(ok=False, detail=f"The calendar server did not answer: {error}")
        return Health(ok=True, detail=f"Calendar {name or self.connection.endpoint_url} answered.")

    # --- helpers ----------------------------------------------------------------------------

    def _event(self, job: JobSpec):
        try:
            return self.calendar.event_by_uid(_uid(job))
        except caldav_error.NotFoundError:
            return None
        except caldav_error.DAVError as error:
            raise SchedulerError(f"The calendar could not be read: {error}", retryable=True) from error

    def _busy(self, start, end, *, except_uid: str = "") -> list[tuple[datetime.datetime, datetime.datetime]]:
        events = self._guard(
            lambda: self.calendar.search(start=start, end=end, event=True, expand=True), "read the calendar"
        )
        spans = []
        for event in events:
            component = event.icalendar_component
            if except_uid and str(component.get("UID")) == except_uid:
                continue
            spans.append((_aware(component["DTSTART"].dt), _aware(component["DTEND"].dt)))
        return spans

    @staticmethod
    def _guard(call, doing: str):
        try:
            return call()
        except caldav_error.AuthorizationError as error:
            raise SchedulerError(
                f"The calendar refused our login while trying to {doing}.", retryable=False
            ) from error
        except (caldav_error.DAVError, OSError) as error:
            raise SchedulerError(f"The calendar could not {doing}: {error}", retryable=True) from error

    @staticmethod
    def _ical(job: JobSpec, slot: Slot) -> str:
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Repairs Online//Scheduling//EN")
        calendar.add("version", "2.0")
        event = icalendar.Event()
        event.add("uid", _uid(job))
        event.add("dtstamp", datetime.datetime.now(datetime.UTC))
        event.add("dtstart", slot.start)
        event.add("dtend", slot.end)
        event.add("summary", f"{job.trade} repair {job.reference}")
        event.add("location", ", ".join(part for part in (job.address, job.postcode) if part))
        event.add("description", "\n".join(part for part in (job.description, job.access_notes) if part))
        calendar.add_component(event)
        return calendar.to_ical().decode()

    @staticmethod
    def _booking(job: JobSpec, event) -> Booking:
        component = event.icalendar_component
        slot = Slot(_aware(component["DTSTART"].dt), _aware(component["DTEND"].dt))
        return Booking(job.reference, BookingStatus.BOOKED, external_ref=str(component["UID"]), slot=slot)


def _uid(job: JobSpec) -> str:
    return f"{job.reference}@{UID_DOMAIN}"


def _aware(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=LONDON) if value.tzinfo is None else value.astimezone(LONDON)
    return datetime.datetime.combine(value, datetime.time(), LONDON)  # an all-day event


def _overlaps(slot: Slot, spans) -> bool:
    return any(start < slot.end and end > slot.start for start, end in spans)
