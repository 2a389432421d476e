"""A small service, counted by hand, for every figure on the reports page.

The period is Monday 30 March to Sunday 26 April 2026, with Easter inside it (Good Friday 3 April and
Easter Monday 6 April are bank holidays in England). Times are noon, London time.

job  kind       where            trade pri ch      reported  completed (closed)      due     state
A    repair     home 1, estate 1 PL    RO  online  Thu 2 Apr Tue 7 Apr  (1 wd)       30 Apr  completed
B    repair     home 2, estate 1 PL    UR  phone   Mon 30 Mar Thu 9 Apr (6 wd)       8 Apr   completed
C    recall/B   home 2           PL    UR  phone   Tue 14 Apr                        21 Apr  triaged
D    repair     home 1           EL    RO  staff   Mon 13 Apr Fri 17 Apr (4 wd), closed 20 Apr, reopened
                                                   21 Apr, closed 22 Apr             11 May  closed
E    repair     lift, estate 2   LF    UR  online  Wed 15 Apr                        22 Apr  scheduled
F    repair     lift (merged into E)   UR  online  Wed 15 Apr                                merged
G    repair     home 3, no estate PL   RO  online  Tue 21 Apr Wed 22 Apr (1 wd)      19 May  completed
H    follow-on/G home 3          EL    RO  staff   Thu 23 Apr                        21 May  reported
I    repair     home 4, estate 2 PL    RO  online  Fri 20 Mar Fri 24 Apr (23 wd)     21 Apr  completed
J    repair     home 3           PL    RO  online  Mon 4 May  Tue 5 May (after)      1 Jun   completed
K    repair     home 3           PL    RO  api     Fri 10 Apr                        8 May   cancelled
L    recall/A   home 1           PL    RO  online  Wed 10 Jun (past the 30 days)     8 Jul   reported

Reports: E has its own report, F's two reports moved to it on merging, and one more withdrawn.
Costs (actual / estimated / SoR unit cost): A 100 / 90 / 80, B 200 / 150 / -, D 50 / - / -, G 30 / - / -.
Events: start_work on A (7 Apr), B (8 and 9 Apr), D (17 Apr), G (22 Apr), I (24 Apr); no access on B
(8 Apr, from in progress), on E (16 Apr, from scheduled) and on J (4 May, after the period).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from properties.models import Estate
from repairs.models import Channel, Job, JobKind, JobState, Report, SorCode
from reports.scope import Scope
from reports.summary import rebuild_range, source_span
from tests.properties.factories import BlockFactory, CommunalAreaFactory, EstateFactory, PropertyFactory
from tests.repairs.factories import PriorityFactory, ReportFactory, TradeFactory
from workflows.models import JobEvent

LONDON = ZoneInfo("Europe/London")
PERIOD = (datetime.date(2026, 3, 30), datetime.date(2026, 4, 26))


def noon(month: int, day: int) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 12, 0, tzinfo=LONDON)


def due(month: int, day: int) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 23, 59, 59, tzinfo=LONDON)


def period_scope(**filters) -> Scope:
    return Scope(start=PERIOD[0], end=PERIOD[1], **filters)


def make_job(
    *, trade, priority, reported, state, home=None, area=None, channel=Channel.ONLINE, **fields
) -> Job:
    job = Job.objects.create(
        property=home,
        communal_area=area,
        trade=trade,
        priority=priority,
        description="Hand-counted",
        channel=channel,
    )
    Job.objects.filter(pk=job.pk).update(created_at=reported, state=state, **fields)
    job.refresh_from_db()
    return job


def event(job: Job, action: str, when: datetime.datetime, source: str, target: str) -> None:
    JobEvent.objects.create(job=job, action=action, occurred_at=when, from_state=source, to_state=target)


def rebuild_summary() -> None:
    """The reports summary rebuilt from the source tables for every day they cover."""
    span = source_span()
    if span is not None:
        for _ in rebuild_range(*span):
            pass


@pytest.fixture
def service(db) -> SimpleNamespace:
    S = JobState
    plumbing, electrical, lift = (
        TradeFactory(code="PL", name="Plumbing"),
        TradeFactory(code="EL", name="Electrical"),
        TradeFactory(code="LF", name="Lifts"),
    )
    routine = PriorityFactory(code="RO", name="Routine", sort_order=2)
    urgent = PriorityFactory(code="UR", name="Urgent", target_value=5, sort_order=1)
    estate_1: Estate = EstateFactory(name="Northfield")
    estate_2: Estate = EstateFactory(name="Southgate")
    home_1 = PropertyFactory(
        block=BlockFactory(estate=estate_1), address_line_1="1 Elm Road", property_ref="H1"
    )
    home_2 = PropertyFactory(
        block=BlockFactory(estate=estate_1), address_line_1="2 Elm Road", property_ref="H2"
    )
    home_3 = PropertyFactory(address_line_1="3 Lone Lane", property_ref="H3")
    home_4 = PropertyFactory(
        block=BlockFactory(estate=estate_2), address_line_1="4 Oak Court", property_ref="H4"
    )
    lift_area = CommunalAreaFactory(block=BlockFactory(estate=estate_2))
    sor = SorCode.objects.create(
        code="PL001", description="Tap washer", trade=plumbing, unit_cost=Decimal("80")
    )

    a = make_job(
        trade=plumbing,
        priority=routine,
        home=home_1,
        reported=noon(4, 2),
        state=S.COMPLETED,
        completed_at=noon(4, 7),
        due_at=due(4, 30),
        sor_code=sor,
        actual_cost=Decimal("100"),
        estimated_cost=Decimal("90"),
    )
    b = make_job(
        trade=plumbing,
        priority=urgent,
        home=home_2,
        reported=noon(3, 30),
        state=S.COMPLETED,
        channel=Channel.PHONE,
        completed_at=noon(4, 9),
        due_at=due(4, 8),
        actual_cost=Decimal("200"),
        estimated_cost=Decimal("150"),
    )
    c = make_job(
        trade=plumbing,
        priority=urgent,
        home=home_2,
        reported=noon(4, 14),
        state=S.TRIAGED,
        channel=Channel.PHONE,
        kind=JobKind.RECALL,
        follows=b,
        due_at=due(4, 21),
    )
    d = make_job(
        trade=electrical,
        priority=routine,
        home=home_1,
        reported=noon(4, 13),
        state=S.CLOSED,
        channel=Channel.STAFF,
        completed_at=noon(4, 17),
        closed_at=noon(4, 22),
        due_at=due(5, 11),
        actual_cost=Decimal("50"),
    )
    e = make_job(
        trade=lift,
        priority=urgent,
        area=lift_area,
        reported=noon(4, 15),
        state=S.SCHEDULED,
        due_at=due(4, 22),
    )
    f = make_job(
        trade=lift,
        priority=urgent,
        area=lift_area,
        reported=noon(4, 15),
        state=S.MERGED,
        merged_into=e,
        due_at=due(4, 22),
    )
    g = make_job(
        trade=plumbing,
        priority=routine,
        home=home_3,
        reported=noon(4, 21),
        state=S.COMPLETED,
        completed_at=noon(4, 22),
        due_at=due(5, 19),
        actual_cost=Decimal("30"),
    )
    h = make_job(
        trade=electrical,
        priority=routine,
        home=home_3,
        reported=noon(4, 23),
        state=S.REPORTED,
        channel=Channel.STAFF,
        kind=JobKind.FOLLOW_ON,
        follows=g,
        due_at=due(5, 21),
    )
    i = make_job(
        trade=plumbing,
        priority=routine,
        home=home_4,
        reported=noon(3, 20),
        state=S.COMPLETED,
        completed_at=noon(4, 24),
        due_at=due(4, 21),
    )
    j = make_job(
        trade=plumbing,
        priority=routine,
        home=home_3,
        reported=noon(5, 4),
        state=S.COMPLETED,
        completed_at=noon(5, 5),
        due_at=due(6, 1),
        actual_cost=Decimal("999"),
    )
    k = make_job(
        trade=plumbing,
        priority=routine,
        home=home_3,
        reported=noon(4, 10),
        state=S.CANCELLED,
        channel=Channel.API,
        due_at=due(5, 8),
    )
    l_ = make_job(
        trade=plumbing,
        priority=routine,
        home=home_1,
        reported=noon(6, 10),
        state=S.REPORTED,
        kind=JobKind.RECALL,
        follows=a,
        due_at=due(7, 8),
    )

    ReportFactory(job=e)
    ReportFactory.create_batch(2, job=f)
    Report.objects.filter(job=f).update(job=e)
    ReportFactory(job=e, withdrawn_at=noon(4, 16))
    ReportFactory(job=a)
    Report.objects.filter(job=e).update(created_at=noon(4, 15))
    Report.objects.filter(job=a).update(created_at=noon(4, 2))

    for job, when in [
        (a, noon(4, 7)),
        (b, noon(4, 8)),
        (b, noon(4, 9)),
        (d, noon(4, 17)),
        (g, noon(4, 22)),
        (i, noon(4, 24)),
    ]:
        event(job, "start_work", when, S.SCHEDULED, S.IN_PROGRESS)
    event(b, "record_no_access", noon(4, 8) + datetime.timedelta(hours=1), S.IN_PROGRESS, S.NO_ACCESS)
    event(e, "record_no_access", noon(4, 16), S.SCHEDULED, S.NO_ACCESS)
    event(j, "record_no_access", noon(5, 4), S.SCHEDULED, S.NO_ACCESS)
    event(d, "complete", noon(4, 17), S.IN_PROGRESS, S.COMPLETED)
    event(d, "close", noon(4, 20), S.COMPLETED, S.CLOSED)
    event(d, "reopen", noon(4, 21), S.CLOSED, S.COMPLETED)
    event(d, "close", noon(4, 22), S.COMPLETED, S.CLOSED)
    # The jobs were back-dated with update(), which model signals never see: build the summary from them.
    rebuild_summary()

    return SimpleNamespace(
        a=a,
        b=b,
        c=c,
        d=d,
        e=e,
        f=f,
        g=g,
        h=h,
        i=i,
        j=j,
        k=k,
        l=l_,
        plumbing=plumbing,
        electrical=electrical,
        lift=lift,
        routine=routine,
        urgent=urgent,
        estate_1=estate_1,
        estate_2=estate_2,
        homes=[home_1, home_2, home_3, home_4],
        lift_area=lift_area,
    )
