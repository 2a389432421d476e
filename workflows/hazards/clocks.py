"""When each hazard stage is due: the kind's timescale counted from the stage's start, in Europe/London.

The counting is `workflows.sla`'s: hours run round the clock (through weekends, bank holidays and the
clock change, counted in UTC so 24 hours is always 24 hours of elapsed time); working days skip
weekends and bank holidays (England's, the same days as Wales'), day one is the first working day after
the start day, and the stage is due by the end of its last working day. Unlike job due dates, the
council's own closure days are NOT skipped: the regulations define a working day as any day but a
Saturday, a Sunday or a bank holiday in England, so a closure cannot lengthen a legal deadline.
Calendar days (the 12-week backstop for preventative works) end at the end of the last day.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from workflows.sla import END_OF_DAY, LONDON, WorkingCalendar

from .models import ClockUnit, HazardKind, SafetyWorksFrom, Stage


def due_after(
    start: datetime.datetime, value: int, unit: str, *, calendar: WorkingCalendar | None = None
) -> datetime.datetime:
    """The moment a clock of `value` `unit`s started at `start` (aware) runs out (closure days count as
    working days unless a `calendar` says otherwise)."""
    if unit == ClockUnit.HOURS:
        elapsed = start.astimezone(datetime.UTC) + datetime.timedelta(hours=value)
        return elapsed.astimezone(LONDON)
    local_day = timezone.localtime(start, LONDON).date()
    if unit == ClockUnit.DAYS:
        last_day = local_day + datetime.timedelta(days=value)
    else:
        calendar = calendar or WorkingCalendar()
        last_day = calendar.add_working_days(local_day, value)
    return datetime.datetime.combine(last_day, END_OF_DAY, tzinfo=LONDON)


def stage_due(kind: HazardKind, stage: str, start: datetime.datetime) -> datetime.datetime:
    value, unit = kind.clock(_timescale_of(stage))
    return due_after(start, value, unit)


def longest_preventative_due(kind: HazardKind, start: datetime.datetime) -> datetime.datetime:
    """The backstop for beginning preventative works when the usual time is not reasonably practicable."""
    value, unit = kind.clock("preventative_longest")
    return due_after(start, value, unit)


def safety_works_start(
    kind: HazardKind, *, aware_at: datetime.datetime, investigated_at: datetime.datetime | None
) -> datetime.datetime | None:
    """When the safety works clock starts for this kind (None: not until the investigation finishes)."""
    if kind.safety_works_from == SafetyWorksFrom.AWARE:
        return aware_at
    return investigated_at


def _timescale_of(stage: str) -> str:
    return "preventative" if stage == Stage.PREVENTATIVE_WORKS else stage


def time_left_in_words(due: datetime.datetime, now: datetime.datetime) -> str:
    """'2 days 3 hours left', '45 minutes left' or 'overdue by 5 hours', for staff reading a clock."""
    seconds = int((due - now).total_seconds())
    words = _span(abs(seconds))
    return f"{words} left" if seconds >= 0 else f"overdue by {words}"


def _span(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if not days and (minutes or not hours):
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


def when_in_words(moment: datetime.datetime) -> str:
    """'5:30pm on Tuesday 4 November 2025' in London time, for residents and staff."""
    local = timezone.localtime(moment, LONDON)
    if local.time() == END_OF_DAY:
        return f"the end of {local:%A} {local.day} {local:%B %Y}"
    hour = local.hour % 12 or 12
    clock = (
        f"{hour}{'am' if local.hour < 12 else 'pm'}"
        if local.minute == 0
        else (f"{hour}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}")
    )
    return f"{clock} on {local:%A} {local.day} {local:%B %Y}"
