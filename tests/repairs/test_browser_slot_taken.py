# ruff: noqa: F811 (the `world` fixture is imported, and test arguments name it)
"""A slot taken by another booking between choosing it and confirming, in headless Chromium at 320px with
JavaScript on and off: every answer is kept and the resident is asked to choose another time."""

from __future__ import annotations

import pytest

from repairs.models import Report
from scheduling.booking import book_appointment
from scheduling.models import Appointment
from scheduling.port import Slot, SlotUnavailable
from tests.repairs.factories import JobFactory
from tests.repairs.test_browser_journey import Pages, phone  # noqa: F401
from tests.repairs.test_journey_fixtures import world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_slot(world, slot: Slot) -> None:
    """Other residents book `slot` until the calendar has no room left in it."""
    for number in range(10):
        job = JobFactory(property=world.homes[1 + number % 2], trade=world.plumbing, priority=world.routine)
        try:
            book_appointment(job=job, slot=slot)
        except SlotUnavailable:
            return
    raise AssertionError("The slot never filled up")


def test_a_slot_taken_before_confirming_keeps_every_answer_and_asks_for_another_time(
    phone, live_server, world, axe_check, html_check
) -> None:
    pages = Pages(phone, axe_check)
    phone.goto(live_server.url + world.leak.url)
    phone.get_by_role("button", name="Report this repair").click()
    phone.get_by_label("What is your postcode?").fill("AA1 1AB")
    pages.go()
    phone.get_by_label(world.homes[0].one_line_address).check()
    pages.go()
    phone.get_by_label("Describe the problem").fill("The bath tap drips")
    pages.go()
    pages.go()  # no photos
    phone.locator("#access_notes").fill("Side door")
    pages.go()
    phone.get_by_label("Full name").fill("Kim Resident")
    pages.go()
    phone.get_by_label("I do not want updates").check()
    pages.go()
    chosen = phone.locator("input[name=slot]").first
    taken_key = chosen.get_attribute("value")
    chosen.check()
    pages.go()
    fill_slot(world, Slot.from_key(taken_key))  # someone else books the last place meanwhile
    pages.go("Report repair")

    assert phone.url.endswith("/repairs/report/appointment/")
    assert "That appointment has just been taken" in phone.locator(".govuk-error-summary").inner_text()
    assert not Report.objects.exists()
    offered = phone.locator("input[name=slot]").evaluate_all("inputs => inputs.map(i => i.value)")
    assert taken_key not in offered
    pages.check("slot-taken")
    phone.locator("input[name=slot]").first.check()
    pages.go()
    summary = phone.locator(".govuk-summary-list").inner_text()
    for kept in ("The bath tap drips", "Side door", "Kim Resident", "No updates"):
        assert kept in summary
    pages.go("Report repair")
    report = Report.objects.get()
    assert report.description == "The bath tap drips" and report.contact_name == "Kim Resident"
    booked = Appointment.objects.get(job=report.job)
    assert Slot(booked.starts_at, booked.ends_at).key != taken_key
    if pages.documents:
        html_check(pages.documents)
