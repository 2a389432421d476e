"""What is particular to DRS: its 7-day availability limit, unzoned London times, and its wording
for "already exists" and "no order exists". Every request is checked against our WSDL's XSD."""

from __future__ import annotations

import datetime

import pytest

from scheduling.adapters import adapter_for
from scheduling.adapters.drs import parse_booking_confirmation
from scheduling.port import LONDON, JobSpec, SchedulerError, Slot, UpdateKind, Window
from tests.scheduling.fakes.drs import booking_confirmation

JOB = JobSpec(
    reference="RO-1", trade="PL", size="S", priority="RO", location_id="00000001", description="Tap " * 200
)


@pytest.fixture
def drs(drs_connection):
    return adapter_for(drs_connection)


def summer_monday() -> datetime.datetime:
    """A Monday in British Summer Time, when London is UTC+1."""
    today = datetime.date.today()
    june = datetime.date(today.year + 1, 6, 1)
    return datetime.datetime.combine(
        june + datetime.timedelta(days=-june.weekday() % 7), datetime.time(), LONDON
    )


def test_a_fortnight_is_asked_for_a_week_at_a_time(drs, fake_drs):
    start = summer_monday()
    drs.slots_between(JOB, Window(start, start + datetime.timedelta(days=14)))
    periods = [
        (c.findtext("checkAvailability/periodBegin"), c.findtext("checkAvailability/periodEnd"))
        for c in fake_drs.calls_to("checkAvailability")
    ]
    assert len(periods) == 2
    for begin, end in periods:
        span = datetime.datetime.fromisoformat(end) - datetime.datetime.fromisoformat(begin)
        assert span <= datetime.timedelta(days=7)
    assert fake_drs.invalid == []


def test_times_travel_as_london_wall_clock_without_a_zone(drs, fake_drs):
    start = summer_monday()
    slot = Slot(start.replace(hour=8), start.replace(hour=12))
    drs.book(JOB, slot)
    sent = fake_drs.calls_to("scheduleBooking")[0].findtext("scheduleBooking/theBooking/planningWindowStart")
    assert sent == f"{start.date().isoformat()}T08:00:00"
    assert fake_drs.invalid == []


def test_slots_read_back_are_london_times(drs):
    start = summer_monday()
    slot = drs.slots_between(JOB, Window(start, start + datetime.timedelta(days=1)))[0]
    assert slot.start.tzinfo == LONDON and slot.start.hour == 8
    assert slot.start.utcoffset() == datetime.timedelta(hours=1)


def test_order_comments_are_cut_to_what_drs_accepts(drs, fake_drs):
    start = summer_monday()
    drs.book(JOB, Slot(start.replace(hour=8), start.replace(hour=12)))
    comments = fake_drs.calls_to("createOrder")[0].findtext("createOrder/theOrder/orderComments")
    assert len(comments) <= 250
    assert fake_drs.invalid == []


def test_an_order_that_already_exists_is_read_back_not_duplicated(drs, fake_drs):
    start = summer_monday()
    first = drs.book(JOB, Slot(start.replace(hour=8), start.replace(hour=12)))
    second = drs.book(JOB, Slot(start.replace(hour=8), start.replace(hour=12)))
    assert (second.external_ref, second.booking_ref) == (first.external_ref, first.booking_ref)
    assert len(fake_drs.orders) == 1
    assert fake_drs.calls_to("selectOrder")


def test_a_server_fault_is_retryable_and_a_client_fault_is_not(drs, fake_drs):
    start = summer_monday()
    window = Window(start, start + datetime.timedelta(days=1))
    fake_drs.fault = "server"
    with pytest.raises(SchedulerError) as server:
        drs.slots_between(JOB, window)
    fake_drs.fault = "client"
    with pytest.raises(SchedulerError) as client:
        drs.slots_between(JOB, window)
    assert server.value.retryable is True
    assert client.value.retryable is False


def test_a_slow_drs_is_a_retryable_timeout(drs_connection, fake_drs):
    drs_connection.timeout_seconds = 1
    fake_drs.delay = 1.5
    with pytest.raises(SchedulerError) as raised:
        adapter_for(drs_connection).slots_between(
            JOB, Window(summer_monday(), summer_monday() + datetime.timedelta(days=1))
        )
    assert raised.value.retryable is True


def test_a_wrong_login_is_not_retried(drs_connection):
    drs_connection.password = "wrong"
    assert adapter_for(drs_connection).health().ok is False


def test_a_booking_confirmation_reads_as_a_confirmed_visit_in_london_time():
    start = summer_monday().replace(hour=12, tzinfo=None)
    (update,) = parse_booking_confirmation(
        booking_confirmation("RO-5", start, start + datetime.timedelta(hours=4))
    )
    assert update.kind == UpdateKind.CONFIRMED
    assert update.job_reference == "RO-5"
    assert update.slot.start == start.replace(tzinfo=LONDON)
