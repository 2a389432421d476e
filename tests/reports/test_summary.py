"""The reports summary: kept equal to a rebuild from the source by the lifecycle's own changes, rebuilt
by the command and the nightly task, and read by the page in the same number of queries whatever it holds."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from repairs.models import Job, JobKind, JobState
from reports import figures
from reports.models import HomeCostSummary, JobDaySummary, SummaryDay
from reports.scope import Scope
from reports.summary import came_back_after, day_ranges, rebuild_days, source_span
from reports.tasks import rebuild_report_summary
from tests.properties.factories import BlockFactory, CommunalAreaFactory, EstateFactory, PropertyFactory
from tests.repairs.factories import JobFactory, PriorityFactory, ReportFactory, TradeFactory
from tests.reports.conftest import LONDON, PERIOD, noon
from tests.workflows.factories import user_in_role
from workflows.models import JobLifecycle
from workflows.services import ACTIONS, merge_jobs, transition_job

pytestmark = pytest.mark.django_db

SUMMARY_FIELDS = [f.name for f in JobDaySummary._meta.fields if f.name != "id"]
HOME_FIELDS = [f.name for f in HomeCostSummary._meta.fields if f.name != "id"]


def snapshot() -> tuple[list, list]:
    """Every summary row, without ids, in a fixed order."""
    return (
        sorted(JobDaySummary.objects.values_list(*SUMMARY_FIELDS), key=repr),
        sorted(HomeCostSummary.objects.values_list(*HOME_FIELDS), key=repr),
    )


def rebuilt_from_source() -> tuple[list, list]:
    """The summary as a rebuild from jobs, reports and events makes it, for every day either covers."""
    days = set(JobDaySummary.objects.values_list("day", flat=True))
    span = source_span()
    if span:
        days |= {span[0] + datetime.timedelta(days=n) for n in range((span[1] - span[0]).days + 1)}
    rebuild_days(days)
    return snapshot()


class Service:
    """A few homes, a communal lift and jobs on them, changed at random as the lifecycle allows."""

    def __init__(self, rng: random.Random, on_commit) -> None:
        self.rng = rng
        self.on_commit = on_commit
        self.trades = [TradeFactory(code="PL"), TradeFactory(code="EL")]
        self.priorities = [PriorityFactory(code="RO"), PriorityFactory(code="EM", is_emergency=True)]
        estate = EstateFactory()
        self.homes = [PropertyFactory(block=BlockFactory(estate=estate)), PropertyFactory()]
        self.area = CommunalAreaFactory(block=BlockFactory(estate=estate))
        self.jobs: list[int] = []

    def act(self, step) -> str:
        """One change, committed (its on-commit callbacks run); returns what was done."""
        with self.on_commit(execute=True):
            return step()

    def raise_job(self) -> str:
        communal = self.rng.random() < 0.4
        job = JobFactory(
            property=None if communal else self.rng.choice(self.homes),
            communal_area=self.area if communal else None,
            trade=self.rng.choice(self.trades),
            priority=self.rng.choice(self.priorities),
            channel=self.rng.choice(["online", "phone", "staff", "api"]),
        )
        self.jobs.append(job.pk)
        if communal:
            ReportFactory(job=job)
        return f"raise {job.pk}"

    def transition(self) -> str:
        job = JobLifecycle.objects.get(pk=self.rng.choice(self.jobs))
        actions = sorted(t.name for t in job.get_available_state_transitions() if t.name in ACTIONS)
        if not actions:
            return "nothing"
        action = self.rng.choice(actions)
        transition_job(job, action, by=None, note="Changed in a test")
        return f"{action} {job.pk}"

    def come_back(self) -> str:
        done = list(
            Job.objects.filter(pk__in=self.jobs, completed_at__isnull=False).values_list("pk", flat=True)
        )
        if not done:
            return "nothing"
        followed = Job.objects.get(pk=self.rng.choice(done))
        job = JobFactory(
            property=followed.property,
            communal_area=followed.communal_area,
            trade=followed.trade,
            priority=followed.priority,
            kind=self.rng.choice([JobKind.RECALL, JobKind.FOLLOW_ON]),
            follows=followed,
        )
        self.jobs.append(job.pk)
        return f"recall {job.pk} of {followed.pk}"

    def report_or_withdraw(self) -> str:
        communal = list(Job.objects.filter(pk__in=self.jobs, communal_area__isnull=False).order_by("pk"))
        if not communal:
            return "nothing"
        job = self.rng.choice(communal)
        live = list(job.reports.live().order_by("pk"))
        if live and self.rng.random() < 0.4:
            report = self.rng.choice(live)
            report.withdrawn_at = datetime.datetime.now(tz=LONDON)
            report.save()
            return f"withdraw {report.pk}"
        ReportFactory(job=job)
        return f"report on {job.pk}"

    def merge(self) -> str:
        candidates = list(
            Job.objects.filter(
                pk__in=self.jobs, communal_area__isnull=False, state__in=["reported", "triaged"]
            )
        )
        if len(candidates) < 2:
            return "nothing"
        source, into = self.rng.sample(candidates, 2)
        merge_jobs(source, into, by=None, note="The same lift", force=True)
        return f"merge {source.pk} into {into.pk}"

    def edit(self) -> str:
        job = Job.objects.get(pk=self.rng.choice(self.jobs))
        job.trade = self.rng.choice(self.trades)
        job.actual_cost = Decimal(self.rng.randint(0, 500))
        job.save()
        return f"edit {job.pk}"


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_the_summary_equals_a_rebuild_after_random_lifecycle_changes(
    seed, django_capture_on_commit_callbacks
):
    rng = random.Random(seed)
    service = Service(rng, django_capture_on_commit_callbacks)
    moment = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)
    steps = [
        (service.raise_job, 3),
        (service.transition, 8),
        (service.come_back, 1),
        (service.report_or_withdraw, 2),
        (service.merge, 1),
        (service.edit, 1),
    ]
    done = []
    for number in range(40):
        moment += datetime.timedelta(hours=rng.choice([1, 5, 20, 30, 75]))
        with time_machine.travel(moment, tick=False):
            step = service.raise_job if number < 3 else rng.choices(*zip(*steps, strict=True))[0]
            done.append(service.act(step))
        if number % 10 == 9:
            kept = snapshot()
            assert kept == rebuilt_from_source(), done
    kept = snapshot()
    assert kept[0], "the changes left rows to compare"
    assert kept == rebuilt_from_source(), done


def test_a_recall_raised_later_rebuilds_the_day_the_repair_was_completed(
    service, django_capture_on_commit_callbacks
) -> None:
    assert figures.first_time_fix(Scope(*PERIOD)).part == 3
    with time_machine.travel(noon(4, 28), tick=False), django_capture_on_commit_callbacks(execute=True):
        JobFactory(property=service.homes[0], trade=service.plumbing, kind=JobKind.RECALL, follows=service.a)
    assert figures.first_time_fix(Scope(*PERIOD)).part == 2  # A came back 21 days after completion


def test_a_transition_is_counted_once_it_commits(service, django_capture_on_commit_callbacks) -> None:
    scope = Scope(*PERIOD)
    with time_machine.travel(noon(4, 24), tick=False):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            transition_job(JobLifecycle.objects.get(pk=service.e.pk), "start_work", by=None)
        assert figures.no_access_rate(scope).whole == 7  # not yet committed
        for callback in callbacks:
            callback()
    assert figures.no_access_rate(scope).whole == 8


def test_came_back_after_rounds_part_days_up() -> None:
    done = datetime.datetime(2026, 4, 1, 12, tzinfo=LONDON)
    assert came_back_after(done, None) is None
    assert came_back_after(done, done - datetime.timedelta(hours=1)) == 0
    assert came_back_after(done, done + datetime.timedelta(days=30)) == 30
    assert came_back_after(done, done + datetime.timedelta(days=30, seconds=1)) == 31


def test_days_join_into_ranges() -> None:
    d = datetime.date
    assert day_ranges([d(2026, 4, 3), d(2026, 4, 1), d(2026, 4, 2), d(2026, 4, 9)]) == [
        (d(2026, 4, 1), d(2026, 4, 3)),
        (d(2026, 4, 9), d(2026, 4, 9)),
    ]


def test_the_command_rebuilds_a_range_from_the_source(service, capsys) -> None:
    JobDaySummary.objects.all().delete()
    HomeCostSummary.objects.all().delete()
    call_command("rebuild_report_summary", "--from", "2026-04-01", "--to", "2026-04-12")
    assert "Rebuilt 2026-04-01 to 2026-04-12" in capsys.readouterr().out
    assert set(JobDaySummary.objects.values_list("day", flat=True)) <= {
        datetime.date(2026, 4, 1) + datetime.timedelta(days=n) for n in range(12)
    }
    weeks = {w.starts: (w.raised, w.completed) for w in figures.weekly_flow(Scope(*PERIOD))}
    assert weeks[datetime.date(2026, 4, 6)] == (1, 2)  # K raised; A, B completed
    assert weeks[datetime.date(2026, 4, 13)] == (0, 0)  # outside the range rebuilt
    call_command("rebuild_report_summary")
    assert weeks != {w.starts: (w.raised, w.completed) for w in figures.weekly_flow(Scope(*PERIOD))}
    assert figures.time_to_complete(Scope(*PERIOD)).jobs == 5


def test_the_nightly_task_rebuilds_the_last_days(service) -> None:
    with time_machine.travel(noon(4, 26), tick=False):
        JobDaySummary.objects.all().delete()
        rebuild_report_summary(days=10)  # 17 to 26 April
    assert figures.time_to_complete(Scope(*PERIOD)).jobs == 3  # D, G, I completed from 17 April
    assert SummaryDay.objects.filter(day=datetime.date(2026, 4, 26), rebuilt_at__isnull=False).exists()


def test_the_page_reads_the_summary_in_the_same_queries_whatever_it_holds(service) -> None:
    client = Client()
    client.force_login(user_in_role("Repairs managers", is_staff=True))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert (
                client.get("/back-office/reports/", {"start": "30/03/2026", "end": "26/04/2026"}).status_code
                == 200
            )
        return len(captured)

    queries()
    first = queries()
    rows = JobDaySummary.objects.count()
    for day in range(1, 26):
        job = JobFactory(trade=service.plumbing, priority=service.urgent, actual_cost=Decimal(day))
        at = datetime.datetime(2026, 4, day, 10, tzinfo=LONDON)
        Job.objects.filter(pk=job.pk).update(
            created_at=at, completed_at=at + datetime.timedelta(days=day % 4), state=JobState.COMPLETED
        )
    rebuild_days(datetime.date(2026, 4, day) for day in range(1, 30))
    assert JobDaySummary.objects.count() > rows + 25
    assert queries() == first
