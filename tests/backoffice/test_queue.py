"""The queue: filters, saved views, keyset pages, CSV of the current view, constant queries."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backoffice.paging import Sort, keyset_page
from repairs.models import Channel, Job
from scheduling.models import NeedsBooking
from scheduling.routing import CALL_BACK_REASON
from tests.properties.factories import BlockFactory, CommunalAreaFactory, EstateFactory, PropertyFactory
from tests.repairs.factories import CommunalJobFactory, JobFactory, PriorityFactory, TradeFactory

pytestmark = pytest.mark.django_db


def job_ids(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/back-office/jobs/(\d+)/"', response.content.decode())}


def test_overdue_plumbing_filter_shows_only_overdue_plumbing_jobs(
    manager_client, plumbing_overdue_job
) -> None:
    on_time = JobFactory(trade=TradeFactory(code="PL"))
    on_time.due_at = timezone.now() + datetime.timedelta(days=3)
    on_time.save()
    electrical = JobFactory(trade=TradeFactory(code="EL"))
    electrical.due_at = timezone.now() - datetime.timedelta(days=3)
    electrical.save()
    plumbing = TradeFactory(code="PL")
    response = manager_client.get(f"/back-office/?due=overdue&trade={plumbing.pk}")
    assert job_ids(response) == {plumbing_overdue_job.pk}
    assert "Overdue" in response.content.decode()


def test_estate_filter_finds_homes_block_areas_and_estate_areas(manager_client) -> None:
    estate = EstateFactory()
    block = BlockFactory(estate=estate)
    in_home = JobFactory(property=PropertyFactory(block=block))
    on_block = CommunalJobFactory(communal_area=CommunalAreaFactory(block=block))
    on_estate = CommunalJobFactory(communal_area=CommunalAreaFactory(block=None, estate=estate))
    JobFactory()  # elsewhere
    assert job_ids(manager_client.get(f"/back-office/?estate={estate.pk}")) == {
        in_home.pk,
        on_block.pk,
        on_estate.pk,
    }
    assert job_ids(manager_client.get(f"/back-office/?block={block.code.lower()}")) == {
        in_home.pk,
        on_block.pk,
    }
    assert job_ids(manager_client.get("/back-office/?block=NO-SUCH-BLOCK")) == set()
    assert job_ids(manager_client.get("/back-office/?communal=yes")) == {on_block.pk, on_estate.pk}


def test_booking_and_call_back_filters_follow_the_booking_queue(manager_client) -> None:
    waiting, call_back, _ = JobFactory(), JobFactory(), JobFactory()
    NeedsBooking.objects.create(job=waiting, reason="Scheduler did not answer")
    NeedsBooking.objects.create(job=call_back, reason=CALL_BACK_REASON, retryable=False)
    assert job_ids(manager_client.get("/back-office/?needs_booking=yes")) == {waiting.pk}
    assert job_ids(manager_client.get("/back-office/?call_back=yes")) == {call_back.pk}


def test_channel_attention_and_emergency_views(manager_client) -> None:
    phoned = JobFactory(channel=Channel.PHONE)
    flagged = JobFactory()
    Job.objects.filter(pk=flagged.pk).update(
        needs_attention_since=timezone.now(), attention_reason="New report"
    )
    emergency = JobFactory(priority=PriorityFactory(code="EM", name="Emergency", is_emergency=True))
    assert job_ids(manager_client.get("/back-office/?channel=phone")) == {phoned.pk}
    assert job_ids(manager_client.get("/back-office/?attention=yes")) == {flagged.pk}
    body = manager_client.get("/back-office/").content.decode()
    emergencies = (
        re.search(r'href="/back-office/(\?[^"]*)">Emergencies<', body).group(1).replace("&amp;", "&")
    )
    assert job_ids(manager_client.get("/back-office/" + emergencies)) == {emergency.pk}


def test_keyset_pages_walk_every_job_once_forwards_and_backwards() -> None:
    now = timezone.now()
    jobs = [JobFactory() for _ in range(23)]
    for index, job in enumerate(jobs):
        # Ties and missing due dates on purpose: the id breaks ties, missing ones come last.
        due = None if index % 5 == 0 else now + datetime.timedelta(hours=index // 3)
        Job.objects.filter(pk=job.pk).update(due_at=due)
    sort = Sort("due_at")
    pages, after = [], ""
    while True:
        page = keyset_page(Job.objects.all(), sort=sort, size=4, after=after)
        pages.append([job.pk for job in page.rows])
        if not page.next_cursor:
            break
        after = page.next_cursor
    seen = [pk for page in pages for pk in page]
    expected = [job.pk for job in Job.objects.order_by(sort.order_by[0], "id")]
    assert seen == expected and len(seen) == 23
    # Back from the last page: each previous page is the one before it.
    page = keyset_page(Job.objects.all(), sort=sort, size=4, after=after)
    back = []
    while page.previous_cursor:
        page = keyset_page(Job.objects.all(), sort=sort, size=4, before=page.previous_cursor)
        back.insert(0, [job.pk for job in page.rows])
    assert back == pages[:-1]


def test_the_queue_pages_by_keyset_without_offset_or_count(manager_client) -> None:
    for _ in range(55):
        JobFactory()
    with CaptureQueriesContext(connection) as queries:
        first = manager_client.get("/back-office/?sort=-reported")
    sql = " ".join(q["sql"].upper() for q in queries.captured_queries)
    assert "OFFSET" not in sql and "COUNT(" not in sql
    next_url = re.search(r'href="([^"]+)" rel="next"', first.content.decode()).group(1).replace("&amp;", "&")
    second = manager_client.get(next_url)
    assert len(job_ids(first)) == 50 and len(job_ids(second)) == 5
    assert not job_ids(first) & job_ids(second)


def test_csv_has_every_job_in_the_current_view_and_defuses_formulas(manager_client) -> None:
    formula_home = PropertyFactory(address_line_1="=HYPERLINK(1)")
    wanted = JobFactory(property=formula_home, channel=Channel.PHONE)
    JobFactory(channel=Channel.ONLINE)
    response = manager_client.get("/back-office/?channel=phone&export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "job" and [int(row[0]) for row in rows[1:]] == [wanted.pk]
    assert rows[1][1].startswith("'=HYPERLINK")


def _many_jobs(count: int) -> None:
    home, trade, priority = PropertyFactory(), TradeFactory(), PriorityFactory()
    now = timezone.now()
    Job.objects.bulk_create(
        Job(
            property=home,
            trade=trade,
            priority=priority,
            description="Drip",
            due_at=now + datetime.timedelta(minutes=i),
        )
        for i in range(count)
    )
    return home


@pytest.mark.parametrize(
    "url", ["/back-office/", "/back-office/?due=overdue&open=yes", "/back-office/?sort=-reported"]
)
def test_queue_runs_the_same_queries_for_10_and_1000_jobs(manager_client, url) -> None:
    _many_jobs(10)
    with CaptureQueriesContext(connection) as small:
        assert manager_client.get(url).status_code == 200
    _many_jobs(990)
    with CaptureQueriesContext(connection) as large:
        assert manager_client.get(url).status_code == 200
    assert len(large) == len(small)
