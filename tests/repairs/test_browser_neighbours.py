# ruff: noqa: F811 (the `world` fixture is imported, and test arguments name it)
"""A broken lift reported from three homes in headless Chromium at 320px, JavaScript on and off: one job,
three reporters, and every reporter's status page shows the same timeline and neighbour count, no names."""

from __future__ import annotations

import pytest

from repairs.models import Report
from tests.repairs.test_browser_journey import Pages
from tests.repairs.test_journey_fixtures import world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = ("Ada Lovelace", "Ben Okri", "Cara Dillon")


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def phones(request, browser):
    """A new phone per resident (each its own cookies), all with JavaScript on or all with it off."""
    contexts = []

    def phone():
        context = browser.new_context(
            locale="en-GB", viewport={"width": 320, "height": 640}, java_script_enabled=request.param
        )
        context._js = request.param
        contexts.append(context)
        return context.new_page()

    yield phone
    for context in contexts:
        context.close()


def report_the_lift(phone, pages: Pages, base: str, world, number: int) -> str:
    """One resident's report of the lift; returns their status page's address."""
    phone.goto(base + world.lift.url)
    phone.get_by_role("button", name="Report this repair").click()
    phone.get_by_label("What is the postcode of the communal area?").fill("aa1 1ab")
    pages.go()
    phone.get_by_label("Lift A, Kestrel House").check()
    pages.go()
    phone.get_by_label(world.homes[number].one_line_address).check()
    pages.go()
    if number:
        text = phone.locator("main").inner_text()
        assert "This repair has already been reported" in text
        assert f"{number} neighbour{'s have' if number > 1 else ' has'} told us" in text
        pages.check(f"already-reported-{number}")
        pages.go()
    phone.get_by_label("Describe the problem").fill("The lift is stuck on the third floor")
    pages.go()
    pages.go()  # no photos
    phone.get_by_label("Full name").fill(NAMES[number])
    pages.go()
    phone.get_by_label("I do not want updates").check()
    pages.go()
    if number == 0:
        pages.check("check-answers-communal")
    pages.go("Report repair")
    assert "Repair reported" in phone.locator("h1").inner_text()
    phone.get_by_role("link", name="Check the progress of your repair").click()
    phone.wait_for_load_state()
    return phone.url


def test_a_lift_reported_from_three_homes_is_one_job_and_one_timeline(
    phones, live_server, world, axe_check, html_check
) -> None:
    first = phones()
    pages = Pages(first, axe_check)
    status_urls = []
    for number in range(3):
        phone = first if number == 0 else phones()
        pages.page = phone
        status_urls.append(report_the_lift(phone, pages, live_server.url, world, number))
    reports = Report.objects.all()
    assert reports.count() == 3
    assert len({r.job_id for r in reports}) == 1
    assert {r.reporter_property_id for r in reports} == {h.pk for h in world.homes[:3]}

    timelines = set()
    for number, url in enumerate(status_urls):
        phone = pages.page = phones()
        phone.goto(url)
        main = phone.locator("main").inner_text()
        assert "2 other residents have reported it too" in main
        assert not any(name in main for name in NAMES)
        assert "Flat" not in main  # no home of any reporter
        timelines.add(phone.locator(".app-timeline").inner_text())
        pages.check(f"status-{number}")
    assert len(timelines) == 1
    assert next(iter(timelines)).count("Reported by another resident") == 2
    if pages.documents:
        html_check(pages.documents)
