"""One contract, every adapter: the same behaviours asked of the built-in calendar (the database),
the contractor hand-off, Kirona DRS (zeep against a fake SOAP server validated by our WSDL's XSD),
Total Mobile (requests + OAuth against a fake REST server) and CalDAV (a real Radicale).

A behaviour an adapter does not declare in `capabilities` is skipped with the reason, never passed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from scheduling.adapters import adapter_for
from scheduling.models import SchedulerConnection, SchedulerKind
from scheduling.port import (
    LONDON,
    Booking,
    BookingStatus,
    Capability,
    JobSpec,
    SchedulerAdapter,
    SchedulerError,
    Slot,
    Window,
)
from tests.scheduling.conftest import next_monday
from tests.scheduling.factories import builtin_team

pytestmark = pytest.mark.django_db

ADAPTERS = ["builtin", "contractor", "drs", "totalmobile", "caldav"]


@dataclass
class Harness:
    adapter: SchedulerAdapter
    team_id: int | None = None

    def job(self, number: int = 1, *, size: str = "L") -> JobSpec:
        """A large job (half a day), so one booking fills a slot in every adapter's diary."""
        return JobSpec(
            reference=f"RO-{9000 + number}",
            trade="PL",
            size=size,
            priority="RO",
            target_date=datetime.date.today() + datetime.timedelta(days=28),
            location_id=f"0000{number:04d}",
            address=f"{number} Test Street, Demoton",
            postcode="AA1 1AB",
            description="Kitchen tap drips",
            contact_name="Sam Resident",
            contact_phone="07700900123",
            access_notes="Dog in the garden",
            team_id=self.team_id,
        )

    @property
    def window(self) -> Window:
        start = next_monday()
        return Window(start, start + datetime.timedelta(days=14))

    def a_slot(self, job: JobSpec, index: int = 0) -> Slot:
        """A slot to book: the adapter's own offer where it has slots, else a morning visit."""
        if self.adapter.can(Capability.SLOTS):
            return self.adapter.available_slots(job, self.window).slots[index]
        day = self.window.start + datetime.timedelta(days=1 + index)
        return Slot(day.replace(hour=8), day.replace(hour=12))


@pytest.fixture(params=ADAPTERS)
def harness(request) -> Harness:
    kind = request.param
    if kind == "builtin":
        team = builtin_team(trade_code="PL", operatives=1)
        return Harness(adapter_for(SchedulerConnection(name="Built-in", kind=SchedulerKind.BUILTIN)), team.pk)
    if kind == "contractor":
        connection = SchedulerConnection(name="Contractor", kind=SchedulerKind.CONTRACTOR)
        return Harness(adapter_for(connection, contractor_name="Acme Repairs Ltd", contact_within_days=3))
    connection = request.getfixturevalue(f"{kind}_connection")
    return Harness(adapter_for(connection))


def needs(harness: Harness, *capabilities: Capability) -> None:
    missing = [c.value for c in capabilities if not harness.adapter.can(c)]
    if missing:
        pytest.skip(f"{harness.adapter.label} does not declare {', '.join(missing)}")


def test_declares_capabilities_from_the_port(harness):
    assert harness.adapter.capabilities
    assert harness.adapter.capabilities <= set(Capability)


def test_slots_are_london_times_inside_the_window(harness):
    needs(harness, Capability.SLOTS)
    page = harness.adapter.available_slots(harness.job(), harness.window)
    assert page.slots, "expected some free slots in an empty diary"
    for slot in page.slots:
        assert slot.start.tzinfo == LONDON and slot.end.tzinfo == LONDON
        assert harness.window.start <= slot.start < slot.end <= harness.window.end


def test_slots_come_a_week_at_a_time_with_the_next_page_start(harness):
    needs(harness, Capability.SLOTS)
    first = harness.adapter.available_slots(harness.job(), harness.window)
    assert first.window.end - first.window.start == datetime.timedelta(days=7)
    assert first.next_start == harness.window.start + datetime.timedelta(days=7)
    assert all(slot.end <= first.window.end for slot in first.slots)
    second = harness.adapter.available_slots(harness.job(), Window(first.next_start, harness.window.end))
    assert second.slots and second.next_start is None
    assert min(s.start for s in second.slots) >= first.next_start


def test_a_booked_slot_is_no_longer_offered(harness):
    needs(harness, Capability.SLOTS, Capability.BOOK)
    slot = harness.a_slot(harness.job(1))
    harness.adapter.book(harness.job(1), slot)
    offered = harness.adapter.available_slots(harness.job(2), harness.window).slots
    assert slot not in offered


def test_booking_then_fetching_returns_the_same_visit(harness):
    needs(harness, Capability.BOOK, Capability.FETCH)
    job = harness.job()
    slot = harness.a_slot(job)
    booked = harness.adapter.book(job, slot)
    fetched = harness.adapter.fetch(job, booked)
    assert booked.status == fetched.status == BookingStatus.BOOKED
    assert (fetched.slot.start, fetched.slot.end) == (slot.start, slot.end)
    assert fetched.external_ref == booked.external_ref


def test_booking_the_same_job_twice_gives_one_booking(harness):
    needs(harness, Capability.BOOK)
    job = harness.job()
    slot = harness.a_slot(job)
    first = harness.adapter.book(job, slot)
    second = harness.adapter.book(job, slot)
    assert second.external_ref == first.external_ref
    assert second.status == first.status


def test_booking_with_no_online_slots_tells_the_resident_who_calls(harness):
    if harness.adapter.can(Capability.SLOTS) or harness.adapter.key != "contractor":
        pytest.skip(f"{harness.adapter.label} offers its own slots or books a chosen visit")
    booking = harness.adapter.book(harness.job(), None)
    assert booking.status == BookingStatus.WITH_CONTRACTOR
    assert "Acme Repairs Ltd will contact you" in booking.message


def test_rescheduling_moves_the_visit(harness):
    needs(harness, Capability.BOOK, Capability.RESCHEDULE, Capability.FETCH)
    job = harness.job()
    booked = harness.adapter.book(job, harness.a_slot(job, 0))
    later = harness.a_slot(job, 1)
    moved = harness.adapter.reschedule(job, booked, later)
    assert (moved.slot.start, moved.slot.end) == (later.start, later.end)
    fetched = harness.adapter.fetch(job, moved)
    assert (fetched.slot.start, fetched.slot.end) == (later.start, later.end)


def test_cancelling_twice_is_success_both_times(harness):
    needs(harness, Capability.BOOK, Capability.CANCEL)
    job = harness.job()
    booked = harness.adapter.book(job, harness.a_slot(job))
    assert harness.adapter.cancel(job, booked).status == BookingStatus.CANCELLED
    again = harness.adapter.cancel(job, booked)
    assert again.status in (BookingStatus.CANCELLED, BookingStatus.NOT_FOUND)


def test_cancelling_a_booking_the_scheduler_never_had_is_success(harness):
    needs(harness, Capability.CANCEL)
    job = harness.job(7)
    unknown = Booking(job.reference, BookingStatus.BOOKED, external_ref="424242", booking_ref="424243")
    assert harness.adapter.cancel(job, unknown).status in (BookingStatus.NOT_FOUND, BookingStatus.CANCELLED)


def test_a_cancelled_booking_is_not_found_when_fetched(harness):
    needs(harness, Capability.BOOK, Capability.CANCEL, Capability.FETCH)
    job = harness.job()
    booked = harness.adapter.book(job, harness.a_slot(job))
    harness.adapter.cancel(job, booked)
    assert harness.adapter.fetch(job, booked).status == BookingStatus.NOT_FOUND


def test_cancelling_frees_the_slot(harness):
    needs(harness, Capability.SLOTS, Capability.BOOK, Capability.CANCEL)
    job = harness.job()
    slot = harness.a_slot(job)
    harness.adapter.cancel(job, harness.adapter.book(job, slot))
    assert slot in harness.adapter.available_slots(harness.job(2), harness.window).slots


def test_a_missing_capability_is_a_clear_error_not_to_retry(harness):
    missing = set(Capability) - harness.adapter.capabilities - {Capability.INBOUND}
    if not missing:
        pytest.skip(f"{harness.adapter.label} declares every outbound capability")
    booking = Booking("RO-1", BookingStatus.BOOKED)
    calls = {
        Capability.SLOTS: lambda: harness.adapter.available_slots(harness.job(), harness.window),
        Capability.FETCH: lambda: harness.adapter.fetch(harness.job(), booking),
        Capability.COMPLETE: lambda: harness.adapter.complete(harness.job(), booking),
    }
    call = next(calls[capability] for capability in calls if capability in missing)
    with pytest.raises(SchedulerError) as raised:
        call()
    assert raised.value.retryable is False
    assert "cannot" in raised.value.message


def test_health_check_answers(harness):
    health = harness.adapter.health()
    assert health.ok, health.detail
