"""The scheduler port: what Repairs Online asks of any scheduler, and the shapes that cross it.

Every adapter (built-in calendar, contractor hand-off, Kirona DRS, Total Mobile, CalDAV) subclasses
`SchedulerAdapter`, declares the `capabilities` it has, and raises only `SchedulerError`, whose
`retryable` flag tells the caller whether trying again later can help. Times crossing the port are
always aware datetimes in Europe/London; adapters convert to whatever their vendor speaks.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# A page of slots covers at most this many days: DRS answers at most 7 days a call, and a resident
# reads a week at a time anyway, so every adapter pages the same way.
PAGE_DAYS = 7


class Capability(StrEnum):
    SLOTS = "slots"  # offers appointment slots a resident can choose from
    BOOK = "book"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"
    FETCH = "fetch"  # reads the current booking back from the scheduler
    COMPLETE = "complete"  # is told when staff complete a job it booked
    INBOUND = "inbound"  # pushes updates to us (booking moved, operative arrived, job completed)


class SchedulerError(Exception):
    """The one error adapters raise. `retryable` says whether the same call may succeed later."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


class SlotUnavailable(SchedulerError):
    """The chosen slot has gone (someone else took it). Not retryable: choose another slot."""

    def __init__(self, message: str = "That appointment has just been taken. Please choose another.") -> None:
        super().__init__(message, retryable=False)


def london(value: datetime.datetime) -> datetime.datetime:
    """The same instant in London time; naive values are refused, never guessed."""
    if value.tzinfo is None:
        raise ValueError("Scheduling times must be timezone-aware.")
    return value.astimezone(LONDON)


@dataclass(frozen=True)
class SorLine:
    code: str
    quantity: int = 1
    standard_minutes: int = 60
    description: str = ""


@dataclass(frozen=True)
class JobSpec:
    """What a scheduler needs to know about a job, and nothing about how we store it."""

    reference: str  # our work-order reference, unique per job ("job-123")
    trade: str  # trade code, like PL
    size: str = "S"  # S, M or L
    priority: str = ""  # priority code
    target_date: datetime.date | None = None
    location_id: str = ""  # the scheduler's location id (our property reference / UPRN)
    address: str = ""  # one line
    postcode: str = ""
    is_communal: bool = False
    sor_lines: tuple[SorLine, ...] = ()
    description: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    access_notes: str = ""
    team_id: int | None = None  # a team chosen by routing, where the adapter has teams
    # For the operative only, never the resident: cautionary alerts, asbestos ("Asbestos (high): loft").
    warnings: tuple[str, ...] = ()

    @property
    def minutes(self) -> int:
        """How long the job takes: its SoR lines' minutes where known, else by size."""
        if self.sor_lines:
            return sum(line.standard_minutes * line.quantity for line in self.sor_lines)
        return SIZE_MINUTES.get(self.size, 60)


SIZE_MINUTES = {"S": 60, "M": 120, "L": 240}


@dataclass(frozen=True)
class Window:
    """A half-open span of time [start, end) in London time."""

    start: datetime.datetime
    end: datetime.datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", london(self.start))
        object.__setattr__(self, "end", london(self.end))
        if self.end <= self.start:
            raise ValueError("A window must end after it starts.")

    def pages(self, days: int = PAGE_DAYS) -> list[Window]:
        """The window cut into spans of at most `days` days."""
        spans, start = [], self.start
        while start < self.end:
            end = min(start + datetime.timedelta(days=days), self.end)
            spans.append(Window(start, end))
            start = end
        return spans


@dataclass(frozen=True)
class Slot:
    start: datetime.datetime
    end: datetime.datetime
    label: str = ""  # "Morning (8am to 12pm)"
    shape: str = ""  # am, pm, school, allday
    provider_data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", london(self.start))
        object.__setattr__(self, "end", london(self.end))

    @property
    def key(self) -> str:
        """A stable text form for forms and URLs: start/end in ISO 8601."""
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    @classmethod
    def from_key(cls, key: str) -> Slot:
        """The slot a form sent back; anything else is a `ValueError` (a tampered or stale value)."""
        start_text, sep, end_text = key.partition("/")
        if not sep:
            raise ValueError("Not an appointment slot.")
        start = datetime.datetime.fromisoformat(start_text)
        end = datetime.datetime.fromisoformat(end_text)
        if start.tzinfo is None or end.tzinfo is None or end <= start:
            raise ValueError("Not an appointment slot.")
        return cls(start, end)


@dataclass(frozen=True)
class SlotPage:
    slots: list[Slot]
    window: Window  # the span this page covered
    next_start: datetime.datetime | None  # where the next page begins, None on the last page


class BookingStatus(StrEnum):
    BOOKED = "booked"
    WITH_CONTRACTOR = "with_contractor"  # handed off: the contractor arranges the visit
    CANCELLED = "cancelled"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Booking:
    job_reference: str
    status: BookingStatus
    external_ref: str = ""  # order id, event UID, job key
    booking_ref: str = ""  # a second id some vendors use (DRS booking id)
    slot: Slot | None = None
    operative: str = ""
    message: str = ""  # what to tell the resident, e.g. who will contact them and by when
    provider_data: dict[str, Any] = field(default_factory=dict, compare=False)

    def with_status(self, status: BookingStatus) -> Booking:
        return replace(self, status=status)


class UpdateKind(StrEnum):
    CONFIRMED = "confirmed"  # a booking made or moved in the scheduler's own screens
    ON_THE_WAY = "on_the_way"  # the operative is travelling to the visit
    ARRIVED = "arrived"
    COMPLETED = "completed"
    NO_ACCESS = "no_access"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class BookingUpdate:
    """Something the scheduler tells us: parsed from its push, applied by the services."""

    kind: UpdateKind
    job_reference: str = ""
    external_ref: str = ""
    slot: Slot | None = None
    operative: str = ""
    note: str = ""


@dataclass(frozen=True)
class Health:
    ok: bool
    detail: str = ""
    latency_ms: float | None = None


class SchedulerAdapter:
    """Base of every adapter. Subclasses override what their `capabilities` promise.

    A call an adapter cannot make raises a non-retryable `SchedulerError` naming the capability, so a
    caller that skipped the capability check gets a clear message rather than a vendor stack trace.
    """

    key: ClassVar[str] = ""
    label: ClassVar[str] = ""
    capabilities: ClassVar[frozenset[Capability]] = frozenset()

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def available_slots(self, job: JobSpec, window: Window) -> SlotPage:
        """The first page (at most `PAGE_DAYS`) of free slots in `window`; ask again from `next_start`."""
        self._require(Capability.SLOTS)
        page = window.pages()[0]
        slots = sorted(self.slots_between(job, page), key=lambda slot: (slot.start, slot.end))
        return SlotPage(slots=slots, window=page, next_start=page.end if page.end < window.end else None)

    def slots_between(self, job: JobSpec, window: Window) -> Sequence[Slot]:
        self._require(Capability.SLOTS)
        raise NotImplementedError

    def book(self, job: JobSpec, slot: Slot | None) -> Booking:
        """Book `job` into `slot`. Idempotent per job: booking the same job again returns its booking."""
        self._require(Capability.BOOK)
        raise NotImplementedError

    def reschedule(self, job: JobSpec, booking: Booking, slot: Slot) -> Booking:
        self._require(Capability.RESCHEDULE)
        raise NotImplementedError

    def cancel(self, job: JobSpec, booking: Booking) -> Booking:
        """Cancel the booking. Cancelling one the scheduler no longer has is success (NOT_FOUND)."""
        self._require(Capability.CANCEL)
        raise NotImplementedError

    def fetch(self, job: JobSpec, booking: Booking) -> Booking:
        self._require(Capability.FETCH)
        raise NotImplementedError

    def complete(self, job: JobSpec, booking: Booking) -> None:
        """Tell the scheduler the work is done (staff completed the job in our back office)."""
        self._require(Capability.COMPLETE)
        raise NotImplementedError

    def parse_inbound(self, body: bytes, content_type: str = "") -> list[BookingUpdate]:
        self._require(Capability.INBOUND)
        raise NotImplementedError

    def inbound_response(self, ok: bool, message: str = "") -> tuple[bytes, str, int]:
        """The reply to one inbound push: body, content type and HTTP status, in the vendor's own form."""
        body = json.dumps({"status": "ok"} if ok else {"error": message}).encode()
        return body, "application/json", 200 if ok else 400

    def health(self) -> Health:
        return Health(ok=True, detail="No outside system to reach.")

    def _require(self, capability: Capability) -> None:
        if capability not in self.capabilities:
            raise SchedulerError(
                f"{self.label or self.key} cannot {capability.value} (not one of its capabilities).",
                retryable=False,
            )
