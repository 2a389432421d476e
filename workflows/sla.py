"""Due dates: a priority's target counted in hours, or in working days, in Europe/London.

Hours targets (emergencies, Awaab's Law emergency hazards) run round the clock: 24 hours means 24
hours of elapsed time, bank holiday or not. Working-day targets skip weekends, bank holidays in
England and Wales (from the `holidays` package, substitute days included) and the council's own
closure days (`ClosureDay`, edited in the admin). Day one is the first working day after the day of
the report, and the job is due by the end of its last working day, London time.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils import timezone

from repairs.models import Priority, TargetUnit

from .models import ClosureDay

LONDON = ZoneInfo("Europe/London")
END_OF_DAY = datetime.time(23, 59, 59)


@lru_cache(maxsize=32)
def bank_holidays(year: int) -> frozenset[datetime.date]:
    """Bank holidays for one year; the subdivision is ENG unless settings say otherwise (Wales: WLS)."""
    subdivision = getattr(settings, "BANK_HOLIDAY_SUBDIVISION", "ENG")
    return frozenset(holidays.country_holidays("GB", subdiv=subdivision, years=year))


class WorkingCalendar:
    """Which days count as working days, with closure days read once for the span asked about."""

    def __init__(self, closures: frozenset[datetime.date] = frozenset()) -> None:
        self.closures = closures

    @classmethod
    def covering(cls, start: datetime.date, working_days: int) -> WorkingCalendar:
        # Generous: even a fortnight's closure at Christmas cannot push n working days past this.
        end = start + datetime.timedelta(days=working_days * 2 + 40)
        closures = frozenset(
            ClosureDay.objects.filter(date__gt=start, date__lte=end).values_list("date", flat=True)
        )
        return cls(closures)

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and day not in bank_holidays(day.year) and day not in self.closures

    def add_working_days(self, start: datetime.date, count: int) -> datetime.date:
        day = start
        remaining = count
        while remaining > 0:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day


def due_at(
    *, priority: Priority, reported_at: datetime.datetime, calendar: WorkingCalendar | None = None
) -> datetime.datetime:
    """When a job of `priority` reported at `reported_at` (aware) must be done by."""
    if priority.target_unit == TargetUnit.HOURS:
        # In UTC: adding to a London time would add wall-clock hours and gain or lose one at a clock change.
        elapsed = reported_at.astimezone(datetime.UTC) + datetime.timedelta(hours=priority.target_value)
        return elapsed.astimezone(LONDON)
    local_day = timezone.localtime(reported_at, LONDON).date()
    calendar = calendar or WorkingCalendar.covering(local_day, priority.target_value)
    last_day = calendar.add_working_days(local_day, priority.target_value)
    return datetime.datetime.combine(last_day, END_OF_DAY, tzinfo=LONDON)
