"""A shared CalDAV calendar as the scheduler: one calendar per team or gang, one event per visit.

For councils whose in-house team keeps a shared calendar and no scheduler. Slots are the slot shapes
on working days (no bank holidays); a slot is free when no event in the calendar overlaps it, since
one calendar is one crew. An event's UID is the job reference, so booking again finds the same event.

Two residents may pick the same slot at once, and the calendar has no transactions, so a booking
claims the slot with the server's own preconditions (RFC 4791 section 5.3.2, RFC 9110 section
13.1): the event is created at a name made from the slot with `If-None-Match: *`, so of two
writers of the same slot the server refuses the second; after writing, the calendar is read again
and a booking that finds another visit overlapping it (a different slot shape, or one entered by
hand) takes itself back out. A move or a cancellation sends `If-Match` with the ETag it read, so a
visit changed meanwhile is not overwritten. Events carry the VTIMEZONE RFC 5545 requires.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

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
ICALENDAR = {"Content-Type": "text/calendar; charset=utf-8"}
# Names tried for one slot: another name is needed only when a visit once booked there was moved by hand.
NAMES_PER_SLOT = 5
T = TypeVar("T")
Span = tuple[datetime.datetime, datetime.datetime]


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
        self.base = connection.endpoint_url.rstrip("/") + "/"

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
        existing = self._stored(job)
        if existing is not None:
            return _booking(job, existing.calendar)
        if _overlaps(slot, self._busy(slot.start, slot.end)):
            raise SlotUnavailable()
        claimed = self._claim(job, slot, _ical(job, slot))
        if isinstance(claimed, Booking):
            return claimed
        url, etag = claimed
        if _overlaps(slot, self._busy(slot.start, slot.end, except_uid=_uid(job))):
            self._request(
                "DELETE", url, headers={"If-Match": etag} if etag else {}, doing="take back the visit"
            )
            raise SlotUnavailable()
        return Booking(job.reference, BookingStatus.BOOKED, external_ref=_uid(job), slot=slot)

    def reschedule(self, job: JobSpec, booking: Booking, slot: Slot) -> Booking:
        stored = self._stored(job)
        if stored is None:
            raise SchedulerError("The visit is no longer in the calendar; book it again.", retryable=False)
        if _overlaps(slot, self._busy(slot.start, slot.end, except_uid=_uid(job))):
            raise SlotUnavailable()
        etag = self._put_over(stored, _moved(stored.calendar, slot))
        if _overlaps(slot, self._busy(slot.start, slot.end, except_uid=_uid(job))):
            self._put_over(_Stored(stored.url, etag, stored.calendar), stored.calendar)  # put it back
            raise SlotUnavailable()
        return Booking(job.reference, BookingStatus.BOOKED, external_ref=_uid(job), slot=slot)

    def cancel(self, job: JobSpec, booking: Booking) -> Booking:
        for _attempt in (1, 2):
            stored = self._stored(job)
            if stored is None:
                return booking.with_status(BookingStatus.NOT_FOUND)
            headers = {"If-Match": stored.etag} if stored.etag else {}
            response = self._request("DELETE", stored.url, headers=headers, doing="delete the visit")
            if response.status == 404:
                return booking.with_status(BookingStatus.NOT_FOUND)
            if response.status < 300:
                return booking.with_status(BookingStatus.CANCELLED)
            if response.status != 412:  # 412: changed since we read it; read it again, then delete
                raise _refusal(response, "delete the visit")
        raise SchedulerError("The visit kept changing in the calendar while we cancelled it.", retryable=True)

    def fetch(self, job: JobSpec, booking: Booking) -> Booking:
        stored = self._stored(job)
        if stored is None:
            return booking.with_status(BookingStatus.NOT_FOUND)
        return _booking(job, stored.calendar)

    def health(self) -> Health:
        try:
            name = self._guard(self.calendar.get_display_name, "read the calendar's name")
        except SchedulerError as error:
            return Health(ok=False, detail=error.message)
        except Exception as error:  # any other failure to reach the server means unhealthy
            return Health(ok=False, detail=f"The calendar server did not answer: {error}")
        return Health(ok=True, detail=f"Calendar {name or self.connection.endpoint_url} answered.")

    # --- claiming and writing -----------------------------------------------------------------

    def _claim(self, job: JobSpec, slot: Slot, data: str) -> tuple[str, str] | Booking:
        """Create the event at a name made from the slot, only if nothing is there yet."""
        for number in range(NAMES_PER_SLOT):
            url = self.base + _slot_name(slot, number)
            response = self._request(
                "PUT", url, data, headers={"If-None-Match": "*", **ICALENDAR}, doing="save the visit"
            )
            if response.status < 300:
                return url, response.headers.get("ETag", "")
            if response.status == 409:  # this job's UID is already in the calendar: booked meanwhile
                existing = self._stored(job)
                if existing is not None:
                    return _booking(job, existing.calendar)
            if response.status != 412:
                raise _refusal(response, "save the visit")
            there = self._get(url)
            if there is None:
                continue
            if _uid_of(there.calendar) == _uid(job):  # the same job, booked by another worker just now
                return _booking(job, there.calendar)
            if _overlaps(slot, _spans(there.calendar)):
                raise SlotUnavailable()
            # The visit once booked under this name was moved by hand: try the slot's next name.
        raise SchedulerError("The calendar has no free name left for this slot.", retryable=False)

    def _put_over(self, stored: _Stored, calendar: icalendar.Calendar) -> str:
        """Replace an event we read, only if it has not changed since; the new ETag."""
        headers = {**ICALENDAR, **({"If-Match": stored.etag} if stored.etag else {})}
        response = self._request(
            "PUT", stored.url, calendar.to_ical().decode(), headers, doing="move the visit"
        )
        if response.status == 412:
            raise SchedulerError(
                "The visit was changed in the calendar while we were moving it; try again.", retryable=True
            )
        if response.status >= 300:
            raise _refusal(response, "move the visit")
        return response.headers.get("ETag", "")

    # --- reading ------------------------------------------------------------------------------

    def _stored(self, job: JobSpec) -> _Stored | None:
        """The job's event as stored now, with the ETag to send with a change to it."""

        def find():
            try:
                return self.calendar.event_by_uid(_uid(job))
            except caldav_error.NotFoundError:
                return None

        event = self._guard(find, "read the calendar")
        return None if event is None else self._get(str(event.url))

    def _get(self, url: str) -> _Stored | None:
        response = self._request("GET", url, doing="read the visit")
        if response.status == 404:
            return None
        if response.status >= 300:
            raise _refusal(response, "read the visit")
        try:
            calendar = icalendar.Calendar.from_ical(response.raw)
        except ValueError as error:
            raise SchedulerError(
                f"The calendar holds a visit we cannot read at {url}.", retryable=False
            ) from error
        return _Stored(url, response.headers.get("ETag", ""), calendar)

    def _busy(self, start, end, *, except_uid: str = "") -> list[Span]:
        events = self._guard(
            lambda: self.calendar.search(start=start, end=end, event=True, expand=True), "read the calendar"
        )
        spans = []
        for event in events:
            component = event.icalendar_component
            if except_uid and str(component.get("UID")) == except_uid:
                continue
            spans.append(_span(component))
        return spans

    # --- HTTP ---------------------------------------------------------------------------------

    def _request(self, method: str, url: str, body: str = "", headers: dict | None = None, *, doing: str):
        return self._guard(lambda: self.client.request(url, method, body, headers or {}), doing)

    def _guard(self, call: Callable[[], T], doing: str) -> T:
        """Run a call to the server; a refused login is a set-up fault no retry mends, named as such."""
        try:
            return call()
        except caldav_error.AuthorizationError as error:
            status = getattr(error, "status", None) or "401/403"
            raise SchedulerError(
                f"The calendar server refused the login of scheduler '{self.connection.name}' "
                f"(HTTP {status}) while trying to {doing}: check its user name and password "
                "under Scheduling → Schedulers.",
                retryable=False,
            ) from error
        except (caldav_error.DAVError, OSError) as error:
            raise SchedulerError(f"The calendar could not {doing}: {error}", retryable=True) from error


class _Stored:
    """An event as the server holds it: where, which version, and what."""

    def __init__(self, url: str, etag: str, calendar: icalendar.Calendar) -> None:
        self.url, self.etag, self.calendar = url, etag, calendar


def _refusal(response, doing: str) -> SchedulerError:
    return SchedulerError(
        f"The calendar could not {doing} (HTTP {response.status}).", retryable=response.status >= 500
    )


def _ical(job: JobSpec, slot: Slot) -> str:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Repairs Online//Scheduling//EN")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", _uid(job))
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("sequence", 0)
    event.add("dtstart", slot.start)
    event.add("dtend", slot.end)
    event.add("summary", f"{job.trade} repair {job.reference}")
    event.add("location", ", ".join(part for part in (job.address, job.postcode) if part))
    notes = (job.description, *getattr(job, "warnings", ()), job.access_notes)
    event.add("description", "\n".join(part for part in notes if part))
    calendar.add_component(event)
    calendar.add_missing_timezones()  # RFC 5545 3.2.19: every TZID needs its VTIMEZONE
    return calendar.to_ical().decode()


def _moved(calendar: icalendar.Calendar, slot: Slot) -> icalendar.Calendar:
    """A copy of the stored calendar with its visit at the new time, as a new revision."""
    moved = icalendar.Calendar.from_ical(calendar.to_ical())
    for event in moved.walk("VEVENT"):
        for name in ("DTSTART", "DTEND", "DURATION", "DTSTAMP"):
            event.pop(name, None)
        event.add("dtstart", slot.start)
        event.add("dtend", slot.end)
        event.add("dtstamp", datetime.datetime.now(datetime.UTC))
        sequence = int(event.pop("SEQUENCE", 0) or 0)
        event.add("sequence", sequence + 1)
    moved.add_missing_timezones()
    return moved


def _booking(job: JobSpec, calendar: icalendar.Calendar) -> Booking:
    event = next(iter(calendar.walk("VEVENT")))
    start, end = _span(event)
    return Booking(job.reference, BookingStatus.BOOKED, external_ref=str(event["UID"]), slot=Slot(start, end))


def _uid(job: JobSpec) -> str:
    return f"{job.reference}@{UID_DOMAIN}"


def _uid_of(calendar: icalendar.Calendar) -> str:
    return next((str(event.get("UID")) for event in calendar.walk("VEVENT")), "")


def _slot_name(slot: Slot, number: int) -> str:
    stem = f"visit-{slot.start:%Y%m%dT%H%M}-{slot.end:%Y%m%dT%H%M}"
    return f"{stem}.ics" if number == 0 else f"{stem}-{number}.ics"


def _spans(calendar: icalendar.Calendar) -> list[Span]:
    return [_span(event) for event in calendar.walk("VEVENT")]


def _span(component: Any) -> Span:
    """An event's start and end in London time, whether it has DTEND, DURATION or is all-day."""
    start = _aware(component.decoded("DTSTART"))
    if component.get("DTEND") is not None:
        return start, _aware(component.decoded("DTEND"))
    if component.get("DURATION") is not None:
        return start, start + component.decoded("DURATION")
    all_day = not isinstance(component.decoded("DTSTART"), datetime.datetime)
    return start, start + datetime.timedelta(days=1 if all_day else 0)


def _aware(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=LONDON) if value.tzinfo is None else value.astimezone(LONDON)
    return datetime.datetime.combine(value, datetime.time(), LONDON)  # an all-day event


def _overlaps(slot: Slot, spans) -> bool:
    return any(start < slot.end and end > slot.start for start, end in spans)
