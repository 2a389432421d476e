"""The figures on the reports page, each one aggregate query (or two) whatever the number of jobs.

Figures about a period read the daily summary (`reports.models.JobDaySummary` and `HomeCostSummary`,
kept current by `reports.summary`), a few thousand rows however many jobs there are. Figures about
now (open jobs by state, overdue) count open jobs through the index on `state`.

Counting rules, kept here and in docs/reports.md:
- A job merged into another is a duplicate: it is never counted as raised. Its reports moved to the job
  it joined, so a merged communal job counts once, with every reporter.
- Completed means the work was done (`Job.completed_at`, set by the lifecycle). A job reopened after
  closure keeps its first completion, so it is counted once, in the week the work was done.
- Working days to complete run from the day reported to the day completed, London time, skipping
  weekends, bank holidays and council closure days, as due dates do: completed the next working day
  is one working day. The 90th percentile is the nearest-rank one (the smallest figure that at least
  nine in ten jobs were completed within).
- First-time fix: repairs (not follow-ons or recalls themselves) completed in the period with no
  recall and no follow-on raised within the recall period after completion.
- No-access rate: visits where the operative could not get in, out of visits made (work started, or no
  access recorded straight from a booked visit), from the lifecycle's events in the period.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    Min,
    Q,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from properties.models import Estate, Property
from repairs.models import OPEN_STATES, Channel, Job, JobState, Priority
from workflows.models import ClosureDay, LifecycleSettings
from workflows.sla import WorkingCalendar

from .models import HomeCostSummary, JobDaySummary
from .scope import LONDON, Scope

LABELS = dict(JobState.choices)


@dataclass(frozen=True)
class Count_:
    label: str
    value: int


@dataclass(frozen=True)
class Week:
    starts: datetime.date
    raised: int
    completed: int


@dataclass(frozen=True)
class Compliance:
    priority: str
    completed: int
    on_time: int

    @property
    def percent(self) -> float | None:
        return 100 * self.on_time / self.completed if self.completed else None


@dataclass(frozen=True)
class TimeToComplete:
    jobs: int
    average: float | None
    percentile_90: int | None


@dataclass(frozen=True)
class Rate:
    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return 100 * self.part / self.whole if self.whole else None


@dataclass(frozen=True)
class CommunalReports:
    jobs: int
    reports: int
    joined: int  # reports made on a job someone had already reported: calls not needed

    @property
    def per_job(self) -> float | None:
        return self.reports / self.jobs if self.jobs else None


@dataclass(frozen=True)
class Cost:
    label: str
    jobs: int
    actual: Decimal
    estimated: Decimal
    sor_value: Decimal


def scoped_jobs(scope: Scope):
    return Job.objects.filter(scope.jobs_q())


def raised(scope: Scope):
    """Jobs raised in the period, duplicates merged into another job left out."""
    return scoped_jobs(scope).filter(scope.within("created_at")).exclude(state=JobState.MERGED)


def completed(scope: Scope):
    return scoped_jobs(scope).filter(scope.within("completed_at"))


def open_by_state(scope: Scope) -> list[Count_]:
    """Open jobs now, by state, in the lifecycle's order (every open state shown, even at nought)."""
    counts = dict(
        scoped_jobs(scope)
        .filter(state__in=OPEN_STATES)
        .order_by()
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return [Count_(label, counts.get(state, 0)) for state, label in JobState.choices if state in OPEN_STATES]


def summary(scope: Scope):
    """The summary rows of the scope's days and filters (`reports.summary` keeps them current)."""
    return JobDaySummary.objects.filter(scope.summary_q()).order_by()


def weekly_flow(scope: Scope) -> list[Week]:
    """Jobs raised and completed in each week (Monday to Sunday) that the period touches."""
    rows = (
        summary(scope)
        .filter(Q(raised__gt=0) | Q(completed__gt=0))
        .values("day")
        .annotate(raised=Sum("raised"), completed=Sum("completed"))
        .values_list("day", "raised", "completed")
    )
    raised_by_week: dict[datetime.date, int] = {}
    completed_by_week: dict[datetime.date, int] = {}
    for day, raised_n, completed_n in rows:
        monday = day - datetime.timedelta(days=day.weekday())
        raised_by_week[monday] = raised_by_week.get(monday, 0) + raised_n
        completed_by_week[monday] = completed_by_week.get(monday, 0) + completed_n
    monday = scope.start - datetime.timedelta(days=scope.start.weekday())
    weeks = []
    while monday <= scope.end:
        weeks.append(Week(monday, raised_by_week.get(monday, 0), completed_by_week.get(monday, 0)))
        monday += datetime.timedelta(weeks=1)
    return weeks


def due_compliance(scope: Scope) -> list[Compliance]:
    """Jobs completed in the period by priority, and how many were completed by their due date."""
    rows = (
        summary(scope)
        .filter(completed__gt=0)
        .values("priority_id")
        .annotate(n=Sum("completed"), on_time=Sum("on_time"))
    )
    counts = {row["priority_id"]: row for row in rows}
    return [
        Compliance(p.name, counts[p.pk]["n"], counts[p.pk]["on_time"])
        for p in Priority.objects.order_by("sort_order", "code")
        if p.pk in counts
    ]


def overdue_by_priority(scope: Scope, now: datetime.datetime | None = None) -> list[Count_]:
    """Open jobs past their due date now, by priority."""
    now = now or timezone.now()
    counts = dict(
        scoped_jobs(scope)
        .filter(state__in=OPEN_STATES, due_at__lt=now)
        .order_by()
        .values_list("priority_id")
        .annotate(n=Count("id"))
        .values_list("priority_id", "n")
    )
    return [
        Count_(p.name, counts[p.pk])
        for p in Priority.objects.order_by("sort_order", "code")
        if p.pk in counts
    ]


def time_to_complete(scope: Scope) -> TimeToComplete:
    """Working days from report to completion for jobs completed in the period.

    The summary holds each completed job's working days (counted when it was built, with bank holidays
    and closure days), so the database returns one row per number of working days.
    """
    spans = list(
        summary(scope)
        .filter(completed__gt=0, working_days__isnull=False)
        .values("working_days")
        .annotate(n=Sum("completed"))
        .order_by("working_days")
        .values_list("working_days", "n")
    )
    if not spans:
        return TimeToComplete(0, None, None)
    total = sum(n for _, n in spans)
    average = sum(days * n for days, n in spans) / total
    rank = math.ceil(0.9 * total)
    seen = 0
    for days, n in spans:
        seen += n
        if seen >= rank:
            return TimeToComplete(total, average, days)
    raise AssertionError("unreachable: the ranks add up to the total")


def working_day_index(first: datetime.date, last: datetime.date) -> dict[datetime.date, int]:
    """For each day from `first` to `last`, the number of working days after `first` up to that day."""
    closures = frozenset(
        ClosureDay.objects.filter(date__gte=first, date__lte=last).values_list("date", flat=True)
    )
    calendar = WorkingCalendar(closures)
    index, count, day = {}, 0, first
    while day <= last:
        if day != first and calendar.is_working_day(day):
            count += 1
        index[day] = count
        day += datetime.timedelta(days=1)
    return index


def first_time_fix(scope: Scope) -> Rate:
    """Repairs completed in the period with no recall or follow-on raised within the recall period."""
    days = LifecycleSettings.load().recall_days
    totals = summary(scope).aggregate(
        whole=Coalesce(Sum("repairs_completed"), 0),
        part=Coalesce(
            Sum(
                "repairs_completed",
                filter=Q(came_back_after__isnull=True) | Q(came_back_after__gt=days),
            ),
            0,
        ),
    )
    return Rate(totals["part"], totals["whole"])


def no_access_rate(scope: Scope) -> Rate:
    """Visits with no access out of visits made, from the events recorded in the period."""
    totals = summary(scope).aggregate(
        no_access=Coalesce(Sum("no_access"), 0),
        from_booking=Coalesce(Sum("no_access_from_booking"), 0),
        got_in=Coalesce(Sum("visits_started"), 0),
    )
    return Rate(totals["no_access"], totals["got_in"] + totals["from_booking"])


def channel_mix(scope: Scope) -> list[Count_]:
    """Jobs raised in the period by how they came in; every channel shown, even at nought."""
    counts = dict(
        summary(scope)
        .filter(raised__gt=0)
        .values("channel")
        .annotate(n=Sum("raised"))
        .values_list("channel", "n")
    )
    return [Count_(label, counts.get(value, 0)) for value, label in Channel.choices]


def communal_reports(scope: Scope) -> CommunalReports:
    """Communal jobs raised in the period and the residents' reports they hold (withdrawn ones left out)."""
    totals = (
        summary(scope)
        .filter(communal=True)
        .aggregate(
            jobs=Coalesce(Sum("raised"), 0),
            reports=Coalesce(Sum("communal_reports"), 0),
            reported=Coalesce(Sum("communal_jobs_reported"), 0),
        )
    )
    return CommunalReports(totals["jobs"], totals["reports"], totals["reports"] - totals["reported"])


# The estate of a job's home or communal area, by name (the costs export's column).
ESTATE_NAME = Coalesce(
    "property__block__estate__name", "communal_area__block__estate__name", "communal_area__estate__name"
)


def costs_by_estate(scope: Scope) -> list[Cost]:
    """Costs of jobs completed in the period, by estate (homes and communal areas together)."""
    rows = (
        summary(scope)
        .filter(completed__gt=0)
        .values("estate_id")
        .annotate(
            jobs=Sum("completed"),
            actual=Coalesce(Sum("actual_pence"), 0),
            estimated=Coalesce(Sum("estimated_pence"), 0),
            sor_value=Coalesce(Sum("sor_pence"), 0),
        )
    )
    rows = list(rows)
    estates = [row["estate_id"] for row in rows if row["estate_id"]]
    names = dict(Estate.objects.filter(pk__in=estates).values_list("pk", "name"))
    costs = [_cost(names.get(row["estate_id"], "No estate"), row) for row in rows]
    return sorted(costs, key=lambda c: (-c.actual, c.label))


def costs_by_property(scope: Scope, limit: int = 20) -> list[Cost]:
    """The homes that cost most in the period (completed jobs in the home itself)."""
    rows = list(
        HomeCostSummary.objects.filter(scope.summary_q())
        .order_by()
        .values("property_id")
        .annotate(
            ref=Min("property_ref"),
            jobs=Sum("jobs"),
            actual=Coalesce(Sum("actual_pence"), 0),
            estimated=Coalesce(Sum("estimated_pence"), 0),
            sor_value=Coalesce(Sum("sor_pence"), 0),
        )
        .order_by("-actual", "ref")[:limit]
    )
    homes = Property.objects.only("address_line_1", "postcode", "property_ref").in_bulk(
        [row["property_id"] for row in rows]
    )
    labels = {
        pk: f"{home.address_line_1}, {home.postcode} ({home.property_ref})" for pk, home in homes.items()
    }
    return [_cost(labels.get(row["property_id"], row["ref"]), row) for row in rows]


def pounds(pence: int) -> Decimal:
    return Decimal(pence) / 100


def _cost(label: str, row: dict) -> Cost:
    return Cost(label, row["jobs"], pounds(row["actual"]), pounds(row["estimated"]), pounds(row["sor_value"]))


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return (timezone.localtime(value, LONDON) if timezone.is_aware(value) else value).date()
    return value


def total(counts: Iterable[Count_]) -> int:
    return sum(c.value for c in counts)


def hazard_compliance(scope: Scope):
    """Awaab's Law compliance per stage from `workflows.hazards`, or None while it records nothing.

    The hazards package is built beside this app; until its selector exists the page says the figures
    are not yet recorded rather than showing a guess.
    """
    import importlib

    for module_name in ("workflows.hazards.selectors", "workflows.hazards"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        selector = getattr(module, "hazard_stage_compliance", None)
        if selector is not None:
            return list(selector(scope.start_at, scope.end_at))
    return None
