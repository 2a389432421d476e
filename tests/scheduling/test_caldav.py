"""The CalDAV adapter against a real Radicale: time zones as RFC 5545 asks, a wrong password named as a
set-up fault, and two bookings at once never both getting the same slot."""

from __future__ import annotations

import datetime
import threading
from copy import copy

import caldav
import icalendar
import pytest

from scheduling.adapters import adapter_for
from scheduling.adapters.caldav_calendar import CalDavCalendar
from scheduling.port import JobSpec, SchedulerError, Slot, SlotUnavailable, Window
from tests.scheduling.conftest import next_monday
from tests.scheduling.fakes.radicale import USERS

pytestmark = pytest.mark.django_db


def job(number: int = 1) -> JobSpec:
    return JobSpec(reference=f"RO-{500 + number}", trade="PL", size="L", address=f"{number} Test Street")


def morning(days: int = 1) -> Slot:
    day = next_monday() + datetime.timedelta(days=days)
    return Slot(day.replace(hour=8), day.replace(hour=12))


def stored_events(connection) -> list[str]:
    """Every object in the calendar, as the server stores it."""
    client = caldav.DAVClient(
        url=connection.endpoint_url,
        username=connection.username,
        password=connection.password,
        require_tls=False,
    )
    return [event.data for event in client.calendar(url=connection.endpoint_url).events()]


def put_by_hand(connection, name: str, start: datetime.datetime, end: datetime.datetime) -> None:
    """A visit typed into the shared calendar by someone in the office, not by us."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Office//EN")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", f"{name}@office")
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    client = caldav.DAVClient(
        url=connection.endpoint_url,
        username=connection.username,
        password=connection.password,
        require_tls=False,
    )
    client.put(connection.endpoint_url.rstrip("/") + f"/{name}.ics", calendar.to_ical().decode(), {})


def test_a_booked_visit_carries_the_vtimezone_its_tzid_names(caldav_connection):
    adapter_for(caldav_connection).book(job(), morning())
    [data] = stored_events(caldav_connection)
    parsed = icalendar.Calendar.from_ical(data)
    event = next(iter(parsed.walk("VEVENT")))
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert [str(zone["TZID"]) for zone in parsed.walk("VTIMEZONE")] == ["Europe/London"]


def test_a_moved_visit_keeps_its_vtimezone_and_counts_a_new_sequence(caldav_connection):
    adapter = adapter_for(caldav_connection)
    booked = adapter.book(job(), morning(1))
    adapter.reschedule(job(), booked, morning(2))
    [data] = stored_events(caldav_connection)
    parsed = icalendar.Calendar.from_ical(data)
    event = next(iter(parsed.walk("VEVENT")))
    assert event.decoded("DTSTART") == morning(2).start
    assert event.decoded("SEQUENCE") == 1
    assert len(list(parsed.walk("VTIMEZONE"))) == 1


@pytest.mark.parametrize("call", ["book", "fetch", "cancel", "slots"])
def test_a_wrong_password_is_a_set_up_fault_naming_the_scheduler_not_a_retry(caldav_connection, call):
    caldav_connection.password = "not-the-password"
    adapter = adapter_for(caldav_connection)
    booking = adapter_for_right_password(caldav_connection).book(job(), morning())
    calls = {
        "book": lambda: adapter.book(job(2), morning(2)),
        "fetch": lambda: adapter.fetch(job(), booking),
        "cancel": lambda: adapter.cancel(job(), booking),
        "slots": lambda: adapter.available_slots(job(), adapter_window()),
    }
    with pytest.raises(SchedulerError) as raised:
        calls[call]()
    assert raised.value.retryable is False
    assert "refused the login of scheduler 'Calendar'" in raised.value.message
    assert "HTTP 401" in raised.value.message


def adapter_for_right_password(connection) -> CalDavCalendar:
    right = copy(connection)
    right.password = USERS[connection.username]
    return CalDavCalendar(right)


def adapter_window() -> Window:
    start = next_monday()
    return Window(start, start + datetime.timedelta(days=7))


def test_a_wrong_password_makes_the_health_check_say_so(caldav_connection):
    caldav_connection.password = "not-the-password"
    health = adapter_for(caldav_connection).health()
    assert not health.ok and "refused the login" in health.detail


def race(connection, jobs_and_slots, monkeypatch) -> list[object]:
    """Book each (job, slot) from its own adapter and thread, all past the free-slot check before a write."""
    barrier = threading.Barrier(len(jobs_and_slots), timeout=20)
    claim = CalDavCalendar._claim

    def claim_together(self, *args, **kwargs):
        barrier.wait()
        return claim(self, *args, **kwargs)

    monkeypatch.setattr(CalDavCalendar, "_claim", claim_together)
    adapters = [CalDavCalendar(connection) for _ in jobs_and_slots]
    results: list[object] = [None] * len(jobs_and_slots)

    def book(index: int) -> None:
        spec, slot = jobs_and_slots[index]
        try:
            results[index] = adapters[index].book(spec, slot)
        except Exception as error:  # the test reads what each booking got
            results[index] = error

    threads = [threading.Thread(target=book, args=(index,)) for index in range(len(jobs_and_slots))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_residents_booking_the_same_slot_at_once_get_one_visit_and_one_refusal(
    caldav_connection, monkeypatch
):
    results = race(caldav_connection, [(job(1), morning()), (job(2), morning())], monkeypatch)
    refused = [result for result in results if isinstance(result, SlotUnavailable)]
    booked = [result for result in results if not isinstance(result, Exception)]
    assert len(booked) == 1 and len(refused) == 1, results
    [data] = stored_events(caldav_connection)
    assert f"{booked[0].job_reference}@repairs-online" in data


def test_the_same_job_booked_twice_at_once_is_one_visit(caldav_connection, monkeypatch):
    results = race(caldav_connection, [(job(1), morning()), (job(1), morning())], monkeypatch)
    assert all(not isinstance(result, Exception) for result in results), results
    assert results[0].external_ref == results[1].external_ref
    assert len(stored_events(caldav_connection)) == 1


def test_a_visit_typed_in_after_our_check_makes_the_booking_step_back(caldav_connection, monkeypatch):
    slot = morning()
    claim = CalDavCalendar._claim

    def office_types_first(self, *args, **kwargs):
        put_by_hand(caldav_connection, "office-visit", slot.start.replace(hour=10), slot.end.replace(hour=14))
        return claim(self, *args, **kwargs)

    monkeypatch.setattr(CalDavCalendar, "_claim", office_types_first)
    with pytest.raises(SlotUnavailable):
        adapter_for(caldav_connection).book(job(), slot)
    [data] = stored_events(caldav_connection)
    assert "office-visit@office" in data


def test_a_slot_freed_by_moving_a_visit_by_hand_can_be_booked_again(caldav_connection):
    adapter = adapter_for(caldav_connection)
    adapter.book(job(1), morning(1))
    # The office drags the visit to another day: it keeps its name, made from the first slot.
    client = caldav.DAVClient(
        url=caldav_connection.endpoint_url,
        username=caldav_connection.username,
        password=caldav_connection.password,
        require_tls=False,
    )
    [event] = client.calendar(url=caldav_connection.endpoint_url).events()
    component = event.icalendar_component
    for name in ("DTSTART", "DTEND"):
        component.pop(name)
    component.add("dtstart", morning(3).start)
    component.add("dtend", morning(3).end)
    event.save()
    booked = adapter.book(job(2), morning(1))
    assert booked.slot == morning(1)
    assert len(stored_events(caldav_connection)) == 2


def test_a_move_over_a_visit_changed_meanwhile_is_refused_not_overwritten(caldav_connection, monkeypatch):
    adapter = adapter_for(caldav_connection)
    booked = adapter.book(job(), morning(1))
    stale = adapter._stored(job())
    adapter.reschedule(job(), booked, morning(2))  # someone else moves it first
    monkeypatch.setattr(adapter, "_stored", lambda spec: stale)
    with pytest.raises(SchedulerError) as raised:
        adapter.reschedule(job(), booked, morning(3))
    assert "changed in the calendar" in raised.value.message and raised.value.retryable
    monkeypatch.undo()
    assert adapter.fetch(job(), booked).slot == morning(2)
