"""The daily summary behind the reports page: built from jobs, reports and events, one London day at a time.

A day's rows are always rebuilt whole from the source tables (`rebuild_days`), never nudged up or down,
so a rebuild is idempotent: running it twice, late, or for a day that did not change gives the same
rows. Changes reach it in two ways:

- Receivers here note the days a saved or deleted job, report or visit event touches (the day it was
  reported, the day it was completed before and after the change, the day of the visit, the day of
  the job a recall follows or a duplicate was merged into) and rebuild those days once the
  transaction commits (`transaction.on_commit`, once per transaction whatever the number of saves).
  The lifecycle's transaction never waits on the summary and a rolled-back change rebuilds nothing.
- A council closure day added, moved or removed changes working days for every job completed on or
  after it, so those days are rebuilt at once, in the admin's own transaction.

`rebuild_report_summary` (a management command and the nightly beat task) rebuilds any range from the
source, for changes that bypass model signals (bulk `update()`, SQL loads, a SoR code's new price, a
home moved to another block) and to fill the table for existing data.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Max,
    Min,
    Q,
)
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver
from django.utils import timezone

from repairs.models import Job, JobKind, JobState, Report
from workflows.models import ClosureDay, JobEvent, JobLifecycle

from .models import HomeCostSummary, JobDaySummary, SummaryDay
from .scope import LONDON

logger = logging.getLogger(__name__)

VISIT_ACTIONS = ("start_work", "record_no_access")
COMEBACK_KINDS = (JobKind.RECALL, JobKind.FOLLOW_ON)
# What a row is keyed by, in JobDaySummary's field names.
KEY = (
    "day",
    "trade_id",
    "priority_id",
    "estate_id",
    "assignee_id",
    "channel",
    "communal",
    "working_days",
    "came_back_after",
)
# Fields of a job whose change moves its rows from one combination of filters to another.
DIMENSIONS = ("trade_id", "priority_id", "assignee_id", "channel", "property_id", "communal_area_id", "kind")


def local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return None if moment is None else timezone.localtime(moment, LONDON).date()


def day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LONDON)


def day_ranges(days: Iterable[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive days joined into (first, last) ranges, so a query needs one range per run of days."""
    ranges: list[list[datetime.date]] = []
    for day in sorted(set(days)):
        if ranges and day - ranges[-1][1] == datetime.timedelta(days=1):
            ranges[-1][1] = day
        else:
            ranges.append([day, day])
    return [(first, last) for first, last in ranges]


def within(path: str, ranges: list[tuple[datetime.date, datetime.date]]) -> Q:
    where = Q(pk__in=[])
    for first, last in ranges:
        end = day_start(last + datetime.timedelta(days=1))
        where |= Q(**{f"{path}__gte": day_start(first), f"{path}__lt": end})
    return where


def dimensions(prefix: str = "") -> dict:
    """The filters' values of a job (reached through `prefix`) as annotations for a GROUP BY."""
    return {
        "s_estate": Coalesce(
            f"{prefix}property__block__estate_id",
            f"{prefix}communal_area__block__estate_id",
            f"{prefix}communal_area__estate_id",
        ),
        "s_communal": ExpressionWrapper(
            Q(**{f"{prefix}communal_area__isnull": False}), output_field=BooleanField()
        ),
    }


def dimension_values(prefix: str = "") -> list[str]:
    return [
        f"{prefix}trade_id",
        f"{prefix}priority_id",
        "s_estate",
        f"{prefix}assignee_id",
        f"{prefix}channel",
        "s_communal",
    ]


HOME_KEY = (
    "day",
    "property_id",
    "property_ref",
    "trade_id",
    "priority_id",
    "estate_id",
    "assignee_id",
    "channel",
)


class Rows:
    """Summary rows being built, keyed by KEY (and home cost rows by HOME_KEY), each a dict of measures."""

    def __init__(self) -> None:
        self.rows: dict[tuple, dict] = {}
        self.homes: dict[tuple, dict] = {}

    def add_home(self, key: tuple, **measures) -> None:
        row = self.homes.setdefault(key, {})
        for name, value in measures.items():
            row[name] = row.get(name, 0) + value

    def home_models(self) -> Iterator[HomeCostSummary]:
        for key, measures in self.homes.items():
            yield HomeCostSummary(**dict(zip(HOME_KEY, key, strict=True)), **measures)

    def add(self, key: tuple, **measures) -> None:
        row = self.rows.setdefault(key, {})
        for name, value in measures.items():
            row[name] = row.get(name, 0) + value

    def models(self) -> Iterator[JobDaySummary]:
        for key, measures in self.rows.items():
            yield JobDaySummary(**dict(zip(KEY, key, strict=True)), **measures)


def of_trades(trades: frozenset[int] | None, prefix: str = "") -> Q:
    """Only jobs of `trades` (None: every trade)."""
    return Q() if trades is None else Q(**{f"{prefix}trade_id__in": sorted(trades)})


def _raised(rows: Rows, ranges, trades) -> None:
    jobs = (
        Job.objects.filter(within("created_at", ranges), of_trades(trades))
        .exclude(state=JobState.MERGED)
        .order_by()
        .annotate(s_day=TruncDate("created_at", tzinfo=LONDON), **dimensions())
        .values("s_day", *dimension_values())
        .annotate(n=Count("id"))
        .values_list("s_day", *dimension_values(), "n")
    )
    for day, *dims, n in jobs:
        rows.add((day, *dims, None, None), raised=n)
    reports = (
        Report.objects.live()
        .filter(within("job__created_at", ranges), of_trades(trades, "job__"))
        .filter(job__communal_area__isnull=False)
        .exclude(job__state=JobState.MERGED)
        .order_by()
        .annotate(s_day=TruncDate("job__created_at", tzinfo=LONDON), **dimensions("job__"))
        .values("s_day", *dimension_values("job__"))
        .annotate(n=Count("id"), jobs=Count("job_id", distinct=True))
        .values_list("s_day", *dimension_values("job__"), "n", "jobs")
    )
    for day, *dims, n, jobs_reported in reports:
        rows.add((day, *dims, None, None), communal_reports=n, communal_jobs_reported=jobs_reported)


def _visits(rows: Rows, ranges, trades) -> None:
    events = (
        JobEvent.objects.filter(within("occurred_at", ranges), of_trades(trades, "job__"))
        .filter(action__in=VISIT_ACTIONS)
        .order_by()
        .annotate(s_day=TruncDate("occurred_at", tzinfo=LONDON), **dimensions("job__"))
        .values("s_day", *dimension_values("job__"))
        .annotate(
            started=Count("id", filter=Q(action="start_work")),
            no_access=Count("id", filter=Q(action="record_no_access")),
            from_booking=Count("id", filter=Q(action="record_no_access", from_state=JobState.SCHEDULED)),
        )
        .values_list("s_day", *dimension_values("job__"), "started", "no_access", "from_booking")
    )
    for day, *dims, started, no_access, from_booking in events:
        rows.add(
            (day, *dims, None, None),
            visits_started=started,
            no_access=no_access,
            no_access_from_booking=from_booking,
        )


def pence(amount: Decimal | None) -> int:
    return 0 if amount is None else int((amount * 100).to_integral_value())


def came_back_after(completed_at: datetime.datetime, came_back_at: datetime.datetime | None) -> int | None:
    """Whole days, rounded up, from completion to the first recall or follow-on: a job came back within
    a recall period of N days exactly when this is N or less."""
    if came_back_at is None:
        return None
    gap = came_back_at - completed_at
    if gap <= datetime.timedelta(0):
        return 0
    return gap.days + (1 if gap.seconds or gap.microseconds else 0)


def _completed(rows: Rows, ranges, trades) -> None:
    """Jobs completed on the days, one row per job read (working days need each job's two days)."""
    from .figures import working_day_index

    finished = within("completed_at", ranges)
    jobs = (
        Job.objects.filter(finished, of_trades(trades))
        .order_by()
        .annotate(**dimensions())
        .values_list(
            "pk",
            "created_at",
            "completed_at",
            "due_at",
            "kind",
            "actual_cost",
            "estimated_cost",
            "sor_code__unit_cost",
            "property_id",
            "property__property_ref",
            *dimension_values(),
        )
    )
    # The first recall or follow-on of each repair completed on the days: one grouped query, not one a job.
    comebacks = dict(
        Job.objects.filter(
            within("follows__completed_at", ranges), of_trades(trades, "follows__"), kind__in=COMEBACK_KINDS
        )
        .order_by()
        .values("follows_id")
        .annotate(first=Min("created_at"))
        .values_list("follows_id", "first")
    )
    loaded = list(jobs.iterator(chunk_size=5000)) if connection.vendor == "postgresql" else list(jobs)
    if not loaded:
        return
    days = [(local_day(created), local_day(done)) for _, created, done, *_ in loaded]
    index = working_day_index(min(min(pair) for pair in days), max(max(pair) for pair in days))
    for (reported_on, done_on), (pk, _, done, due, kind, actual, estimated, unit, home, ref, *dims) in zip(
        days, loaded, strict=True
    ):
        repair = kind == JobKind.REPAIR
        costs = {
            "actual_pence": pence(actual),
            "estimated_pence": pence(estimated),
            "sor_pence": pence(unit),
        }
        if home is not None:
            trade, priority, estate, assignee, channel, _ = dims
            rows.add_home((done_on, home, ref, trade, priority, estate, assignee, channel), jobs=1, **costs)
        rows.add(
            (
                done_on,
                *dims,
                max(0, index[done_on] - index[reported_on]),
                came_back_after(done, comebacks.get(pk)) if repair else None,
            ),
            completed=1,
            on_time=1 if due is not None and done <= due else 0,
            repairs_completed=1 if repair else 0,
            **costs,
        )


def rebuild_days(days: Iterable[datetime.date], trades: Iterable[int] | None = None) -> int:
    """Rebuild every summary row of `days` (of jobs of `trades`, or all) from the source tables; return
    the number of rows written. A change to a job rebuilds its trade's rows of the day only: at a million
    jobs a whole day is thousands of jobs, one trade's share of it a tenth of that.

    Each day's `SummaryDay` row is locked first (in day order, so two rebuilds cannot deadlock), so a
    second rebuild of the same day waits and then writes from what is committed by then.
    """
    days = sorted({d for d in days if d is not None})
    if not days:
        return 0
    ranges = day_ranges(days)
    trades = None if trades is None else frozenset(trades)
    with transaction.atomic():
        SummaryDay.objects.bulk_create([SummaryDay(day=d) for d in days], ignore_conflicts=True)
        list(SummaryDay.objects.select_for_update().filter(day__in=days).order_by("day").values_list("day"))
        _delete(JobDaySummary, days, trades)
        _delete(HomeCostSummary, days, trades)
        rows = Rows()
        _raised(rows, ranges, trades)
        _completed(rows, ranges, trades)
        _visits(rows, ranges, trades)
        written = _insert(JobDaySummary, KEY, rows.rows)
        written += _insert(HomeCostSummary, HOME_KEY, rows.homes)
        SummaryDay.objects.filter(day__in=days).update(rebuilt_at=timezone.now())
    return written


def _delete(model, days: list[datetime.date], trades: frozenset[int] | None) -> None:
    """One DELETE by day: the ORM's delete() would first read every row's id to send signals."""
    table = connection.ops.quote_name(model._meta.db_table)
    of_trade, trade_ids = "", []
    if trades is not None:
        trade_ids = sorted(trades)
        of_trade = f" AND trade_id IN ({', '.join(['%s'] * len(trade_ids))})"
    with connection.cursor() as cursor:
        for start in range(0, len(days), 500):
            chunk = days[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE day IN ({marks}){of_trade}", [*chunk, *trade_ids])


MEASURES = {
    JobDaySummary: [
        "raised",
        "communal_reports",
        "communal_jobs_reported",
        "completed",
        "on_time",
        "repairs_completed",
        "actual_pence",
        "estimated_pence",
        "sor_pence",
        "visits_started",
        "no_access",
        "no_access_from_booking",
    ],
    HomeCostSummary: ["jobs", "actual_pence", "estimated_pence", "sor_pence"],
}


def _insert(model, key: tuple[str, ...], rows: dict[tuple, dict]) -> int:
    """The rows in one executemany: plain values, no model instances (a day at a million jobs is
    thousands of rows, and the ORM's per-field preparation was most of a rebuild's time)."""
    measures = MEASURES[model]
    columns = [*key, *measures]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    values = [(*k, *(m.get(name, 0) for name in measures)) for k, m in rows.items()]
    if values:
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)
    return len(values)


def rebuild_range(first: datetime.date, last: datetime.date, *, step_days: int = 31) -> Iterator[tuple]:
    """Rebuild `first` to `last` in transactions of `step_days` days; yields (first, last, rows) per step."""
    start = first
    while start <= last:
        end = min(last, start + datetime.timedelta(days=step_days - 1))
        count = rebuild_days(start + datetime.timedelta(days=n) for n in range((end - start).days + 1))
        yield start, end, count
        start = end + datetime.timedelta(days=1)


def source_span() -> tuple[datetime.date, datetime.date] | None:
    """The first and last day any job, completion or visit falls on, or None with no jobs."""
    jobs = Job.objects.aggregate(first=Min("created_at"), last=Max("created_at"), done=Max("completed_at"))
    if jobs["first"] is None:
        return None
    events = JobEvent.objects.filter(action__in=VISIT_ACTIONS).aggregate(
        first=Min("occurred_at"), last=Max("occurred_at")
    )
    moments = [m for m in (*jobs.values(), *events.values()) if m is not None]
    return local_day(min(moments)), local_day(max(moments))


# --- Keeping it current ----------------------------------------------------------------------------

PENDING = "_report_summary_pending"


def rebuild_after_commit(pairs: Iterable[tuple[datetime.date | None, int | None]]) -> None:
    """Rebuild the (day, trade) pairs once the current transaction commits (at once outside one).

    Pairs gather on the connection, and the first callback to run takes them all, so ten saves in one
    transaction rebuild each pair once. Pairs left by a rolled-back transaction ride along with the
    next commit: rebuilding rows that did not change is harmless.
    """
    pairs = {(day, trade) for day, trade in pairs if day is not None and trade is not None}
    if not pairs:
        return
    db = transaction.get_connection()
    pending = getattr(db, PENDING, None)
    if pending is None:
        pending = set()
        setattr(db, PENDING, pending)
    pending.update(pairs)
    # One callback per call: a savepoint rolled back drops its callbacks, and an extra one finds nothing.
    transaction.on_commit(_flush, robust=True)


def _flush() -> None:
    """Hand the committed pairs to a worker where one runs, so a resident's report or a manager's
    transition does not wait for the rebuild (about a tenth of a second at a million jobs); rebuild here
    in the embedded default (eager tasks), or when the broker cannot take the task."""
    db = transaction.get_connection()
    pairs = getattr(db, PENDING, set())
    setattr(db, PENDING, set())
    if not pairs:
        return
    from celery import current_app

    from .tasks import rebuild_summary_pairs

    if not current_app.conf.task_always_eager:
        try:
            rebuild_summary_pairs.delay(sorted([day.isoformat(), trade] for day, trade in pairs))
            return
        except Exception:  # the broker is down: correct figures now beat a quick answer
            logger.warning("report summary rebuild queued nowhere; rebuilding in the request")
    rebuild_pairs(pairs)


def rebuild_pairs(pairs: Iterable[tuple[datetime.date, int]]) -> None:
    """Rebuild each trade's rows of its days, one trade at a time."""
    by_trade: dict[int, set[datetime.date]] = {}
    for day, trade in pairs:
        by_trade.setdefault(trade, set()).add(day)
    for trade, days in sorted(by_trade.items()):
        rebuild_days(days, trades=[trade])


def _seen(job: Job) -> tuple:
    values = job.__dict__
    return (
        values.get("created_at"),
        values.get("completed_at"),
        tuple(values.get(name) for name in DIMENSIONS),
    )


def _remember(sender, instance: Job, **kwargs) -> None:
    instance._summary_seen = _seen(instance)


def _job_saved(sender, instance: Job, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_summary_seen", (None, None, ()))
    now = _seen(instance)
    days = {local_day(before[0]), local_day(before[1]), local_day(now[0]), local_day(now[1])}
    trades = {instance.trade_id, before[2][0] if before[2] else None}
    if not created and before[2] and before[2] != now[2]:
        # Its visits are counted under its filters too: they move with it.
        days |= {
            local_day(at)
            for at in JobEvent.objects.filter(job=instance, action__in=VISIT_ACTIONS).values_list(
                "occurred_at", flat=True
            )
        }
    pairs = {(day, trade) for day in days for trade in trades}
    if instance.follows_id and instance.kind in COMEBACK_KINDS:
        # The job it follows has come back: its completion day's first-time fix changes.
        followed = Job.objects.filter(pk=instance.follows_id).values_list("completed_at", "trade_id")
        pairs |= {(local_day(done), trade) for done, trade in followed}
    if instance.merged_into_id and instance.state == JobState.MERGED:
        # Its reports moved to the job it joined.
        joined = Job.objects.filter(pk=instance.merged_into_id).values_list("created_at", "trade_id")
        pairs |= {(local_day(at), trade) for at, trade in joined}
    instance._summary_seen = now
    rebuild_after_commit(pairs)


def _job_deleted(sender, instance: Job, **kwargs) -> None:
    rebuild_after_commit(
        (local_day(at), instance.trade_id) for at in (instance.created_at, instance.completed_at)
    )


# The lifecycle saves jobs through its proxy model, and Django sends a proxy's signals with the proxy as
# sender: listen for both.
for _model in (Job, JobLifecycle):
    _uid = f"reports.summary.{_model.__name__}"
    post_init.connect(_remember, sender=_model, dispatch_uid=f"{_uid}.loaded")
    post_save.connect(_job_saved, sender=_model, dispatch_uid=f"{_uid}.saved")
    post_delete.connect(_job_deleted, sender=_model, dispatch_uid=f"{_uid}.deleted")


@receiver(post_save, sender=Report, dispatch_uid="reports.summary.report_saved")
@receiver(post_delete, sender=Report, dispatch_uid="reports.summary.report_deleted")
def _report_changed(sender, instance: Report, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    reported = Job.objects.filter(pk=instance.job_id, communal_area__isnull=False).values_list(
        "created_at", "trade_id"
    )
    rebuild_after_commit((local_day(at), trade) for at, trade in reported)


@receiver(post_save, sender=JobEvent, dispatch_uid="reports.summary.event_saved")
@receiver(post_delete, sender=JobEvent, dispatch_uid="reports.summary.event_deleted")
def _event_changed(sender, instance: JobEvent, raw: bool = False, **kwargs) -> None:
    if not raw and instance.action in VISIT_ACTIONS:
        trade = Job.objects.filter(pk=instance.job_id).values_list("trade_id", flat=True).first()
        rebuild_after_commit([(local_day(instance.occurred_at), trade)])


@receiver(post_init, sender=ClosureDay, dispatch_uid="reports.summary.closure_loaded")
def _remember_closure(sender, instance: ClosureDay, **kwargs) -> None:
    instance._summary_date = instance.__dict__.get("date")


@receiver(post_save, sender=ClosureDay, dispatch_uid="reports.summary.closure_saved")
@receiver(post_delete, sender=ClosureDay, dispatch_uid="reports.summary.closure_deleted")
def _closure_changed(sender, instance: ClosureDay, raw: bool = False, **kwargs) -> None:
    """Working days change for every job completed from the closure day on: rebuild those days now."""
    if raw:
        return
    dates = [d for d in (getattr(instance, "_summary_date", None), instance.date) if d is not None]
    first = min(dates)
    last = JobDaySummary.objects.filter(completed__gt=0, day__gte=first).aggregate(last=Max("day"))["last"]
    if last is not None:
        for _ in rebuild_range(first, last):
            pass
    instance._summary_date = instance.date
