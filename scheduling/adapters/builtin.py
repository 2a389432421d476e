"""The built-in calendar: the council's own operatives, their working hours, closures and capacity.

Capacity is counted in minutes. A slot is offered when some operative of the right trade (and team,
where routing names one) has enough unbooked minutes of working time inside it for the job. Booking
locks those operatives' rows (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite runs with
`BEGIN IMMEDIATE`, so writers queue) and counts again before writing, so the last slot goes to one
resident only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from workflows.models import ClosureDay
from workflows.sla import bank_holidays

from ..models import SLOT_TIMES, CalendarBooking, Closure, Operative, SlotShape, TeamCalendar, WorkingHours
from ..port import (
    LONDON,
    Booking,
    BookingStatus,
    Capability,
    JobSpec,
    SchedulerAdapter,
    SchedulerError,
    Slot,
    SlotUnavailable,
    Window,
)

DEFAULT_SHAPES = [SlotShape.MORNING, SlotShape.AFTERNOON]


def _minutes(start: datetime.datetime, end: datetime.datetime) -> int:
    return max(0, int((end - start).total_seconds() // 60))


class BuiltinCalendar(SchedulerAdapter):
    key = "builtin"
    label = "Built-in calendar"
    capabilities = frozenset(
        {Capability.SLOTS, Capability.BOOK, Capability.RESCHEDULE, Capability.CANCEL, Capability.FETCH}
    )

    def __init__(self, connection=None, *, now=None) -> None:
        self.connection = connection
        self._now = now or timezone.now

    # --- reading ----------------------------------------------------------------------------

    def slots_between(self, job: JobSpec, window: Window) -> Sequence[Slot]:
        operatives = list(self._operatives(job))
        if not operatives:
            return []
        shapes = self._shapes(job)
        first_day = self._first_day(job)
        hours = self._hours(operatives)
        booked = self._booked(operatives, window.start, window.end)
        closed = self._closed_days(operatives, window.start.date(), window.end.date())
        slots = []
        for day in self._days(window):
            if day < first_day or day in closed["all"]:
                continue
            for shape in shapes:
                slot = self._slot(day, shape)
                if slot.start < window.start or slot.end > window.end:
                    continue
                if any(
                    self._spare(op, slot, hours, booked) >= job.minutes
                    for op in operatives
                    if day not in closed.get(op.pk, ())
                ):
                    slots.append(slot)
        return slots

    def fetch(self, job: JobSpec, booking: Booking) -> Booking:
        row = self._live(job.reference)
        if row is None:
            return booking.with_status(BookingStatus.NOT_FOUND)
        return self._booking(row)

    # --- writing ----------------------------------------------------------------------------

    def book(self, job: JobSpec, slot: Slot | None) -> Booking:
        if slot is None:
            raise SchedulerError("Choose an appointment slot.", retryable=False)
        try:
            with transaction.atomic():
                existing = self._live(job.reference)
                if existing is not None:
                    return self._booking(existing)
                row = self._allocate(job, slot)
        except IntegrityError:
            # A second request for the same job won the race: its booking is ours too.
            existing = self._live(job.reference)
            if existing is None:
                raise
            return self._booking(existing)
        return self._booking(row)

    def reschedule(self, job: JobSpec, booking: Booking, slot: Slot) -> Booking:
        with transaction.atomic():
            current = CalendarBooking.objects.select_for_update().filter(
                job_reference=job.reference, is_cancelled=False
            )
            current.update(is_cancelled=True)
            row = self._allocate(job, slot)  # SlotUnavailable rolls the cancellation back too
        return self._booking(row)

    def cancel(self, job: JobSpec, booking: Booking) -> Booking:
        changed = CalendarBooking.objects.filter(job_reference=job.reference, is_cancelled=False).update(
            is_cancelled=True
        )
        return booking.with_status(BookingStatus.CANCELLED if changed else BookingStatus.NOT_FOUND)

    def _allocate(self, job: JobSpec, slot: Slot) -> CalendarBooking:
        shape = self._shape_of(slot)
        ids = list(self._operatives(job).values_list("pk", flat=True))
        # Lock in a fixed order (no DISTINCT: PostgreSQL refuses FOR UPDATE with it).
        operatives = list(Operative.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        day = slot.start.date()
        closed = self._closed_days(operatives, day, day)
        if (
            shape not in self._shapes(job)
            or day < self._first_day(job)
            or not operatives
            or day in closed["all"]
        ):
            raise SlotUnavailable("That appointment is not one we offer. Please choose another.")
        hours = self._hours(operatives)
        booked = self._booked(operatives, slot.start, slot.end)
        spare = {
            op: self._spare(op, slot, hours, booked) for op in operatives if day not in closed.get(op.pk, ())
        }
        fits = [op for op, minutes in spare.items() if minutes >= job.minutes]
        if not fits:
            raise SlotUnavailable()
        operative = max(fits, key=lambda op: (spare[op], -op.pk))
        return CalendarBooking.objects.create(
            job_reference=job.reference,
            operative=operative,
            starts_at=slot.start,
            ends_at=slot.end,
            shape=shape,
            minutes=job.minutes,
            address=job.address,
            trade=job.trade,
        )

    # --- helpers ----------------------------------------------------------------------------

    def _operatives(self, job: JobSpec):
        operatives = Operative.objects.filter(is_active=True, trades__code=job.trade)
        if job.team_id:
            operatives = operatives.filter(team_id=job.team_id)
        return operatives.distinct()

    def _calendar(self, job: JobSpec) -> TeamCalendar | None:
        if not job.team_id:
            return None
        return TeamCalendar.objects.filter(team_id=job.team_id).first()

    def _shapes(self, job: JobSpec) -> list[str]:
        calendar = self._calendar(job)
        return calendar.shapes if calendar else list(DEFAULT_SHAPES)

    def _first_day(self, job: JobSpec) -> datetime.date:
        """The first bookable day: the team's notice period after today (London)."""
        calendar = self._calendar(job)
        lead = calendar.lead_days if calendar else 1
        return self._now().astimezone(LONDON).date() + datetime.timedelta(days=lead)

    @staticmethod
    def _days(window: Window) -> Iterable[datetime.date]:
        day, last = window.start.date(), window.end.date()
        while day <= last:
            yield day
            day += datetime.timedelta(days=1)

    @staticmethod
    def _slot(day: datetime.date, shape: str) -> Slot:
        starts, ends = SLOT_TIMES[shape]
        return Slot(
            start=datetime.datetime.combine(day, starts, LONDON),
            end=datetime.datetime.combine(day, ends, LONDON),
            label=SlotShape(shape).label,
            shape=shape,
        )

    @staticmethod
    def _shape_of(slot: Slot) -> str | None:
        times = (slot.start.timetz().replace(tzinfo=None), slot.end.timetz().replace(tzinfo=None))
        for shape, (starts, ends) in SLOT_TIMES.items():
            if times == (starts, ends) and slot.start.date() == slot.end.date():
                return shape
        return None

    @staticmethod
    def _hours(operatives: list[Operative]) -> dict[tuple[int, int], WorkingHours]:
        rows = WorkingHours.objects.filter(operative__in=operatives)
        return {(row.operative_id, row.weekday): row for row in rows}

    @staticmethod
    def _booked(operatives, start, end) -> dict[int, list[CalendarBooking]]:
        rows = CalendarBooking.objects.filter(
            operative__in=operatives, is_cancelled=False, starts_at__lt=end, ends_at__gt=start
        )
        booked: dict[int, list[CalendarBooking]] = {}
        for row in rows:
            booked.setdefault(row.operative_id, []).append(row)
        return booked

    @staticmethod
    def _closed_days(operatives, first: datetime.date, last: datetime.date) -> dict:
        """Days closed for everyone ("all") and, per operative id, their own and their team's closures."""
        closed: dict = {
            "all": set(ClosureDay.objects.filter(date__range=(first, last)).values_list("date", flat=True))
        }
        for year in range(first.year, last.year + 1):
            closed["all"] |= {d for d in bank_holidays(year) if first <= d <= last}
        closures = Closure.objects.filter(starts_on__lte=last, ends_on__gte=first)
        for closure in closures:
            days = set()
            day = max(closure.starts_on, first)
            while day <= min(closure.ends_on, last):
                days.add(day)
                day += datetime.timedelta(days=1)
            if closure.team_id is None and closure.operative_id is None:
                closed["all"] |= days
            for op in operatives:
                if closure.operative_id == op.pk or (closure.team_id and closure.team_id == op.team_id):
                    closed.setdefault(op.pk, set()).update(days)
        return closed

    @staticmethod
    def _spare(operative: Operative, slot: Slot, hours, booked) -> int:
        """Unbooked working minutes the operative has inside the slot."""
        pattern = hours.get((operative.pk, slot.start.weekday()))
        if pattern is None:
            return 0
        day = slot.start.date()
        works_from = max(slot.start, datetime.datetime.combine(day, pattern.starts, LONDON))
        works_to = min(slot.end, datetime.datetime.combine(day, pattern.ends, LONDON))
        taken = sum(
            row.minutes
            for row in booked.get(operative.pk, ())
            if row.starts_at < slot.end and row.ends_at > slot.start
        )
        return _minutes(works_from, works_to) - taken

    @staticmethod
    def _live(reference: str) -> CalendarBooking | None:
        return (
            CalendarBooking.objects.select_related("operative")
            .filter(job_reference=reference, is_cancelled=False)
            .first()
        )

    @staticmethod
    def _booking(row: CalendarBooking) -> Booking:
        return Booking(
            job_reference=row.job_reference,
            status=BookingStatus.BOOKED,
            external_ref=f"cal-{row.pk}",
            slot=Slot(
                row.starts_at,
                row.ends_at,
                label=SlotShape(row.shape).label if row.shape else "",
                shape=row.shape,
            ),
            operative=row.operative.name,
        )
