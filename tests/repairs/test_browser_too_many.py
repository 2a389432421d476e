# ruff: noqa: F811 (the `world` fixture is imported, and test arguments name it)
"""The page a person sees past a limit, in headless Chromium at 320px: GOV.UK layout, axe-core and vnu
clean, and it says how long to wait."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.repairs.test_journey_fixtures import world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 320, "height": 640})
    yield context.new_page()
    context.close()
    cache.clear()


def test_the_too_many_tries_page_is_accessible_and_says_how_long_to_wait(
    phone, live_server, world, axe_check, html_check, settings
) -> None:
    cache.clear()
    settings.STATUS_LOOKUP_RATE_LIMIT = 1
    for _ in range(2):
        phone.goto(live_server.url + "/repairs/status/")
        phone.get_by_label("Repair reference").fill("RP-222222")
        phone.get_by_label("Postcode of the repair").fill("AA1 1AB")
        with phone.expect_response(lambda r: r.url.endswith("/repairs/status/")) as answer:
            phone.get_by_role("button", name="Check repair").click()
        phone.wait_for_load_state()

    assert answer.value.status == 429
    assert phone.get_by_role("heading", level=1).inner_text() == "You have tried too many times"
    assert "you cannot check a repair for" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    axe_check(phone)
    html_check({"too-many": phone.content()})


def test_a_guessed_link_past_the_limit_gets_the_same_page(
    phone, live_server, world, axe_check, settings
) -> None:
    cache.clear()
    settings.STATUS_MISS_RATE_LIMIT = 1
    assert phone.goto(live_server.url + "/repairs/status/guessed-token/").status == 404

    refused = phone.goto(live_server.url + "/repairs/status/another-guess/")

    assert refused.status == 429
    assert int(refused.headers["retry-after"]) > 0
    assert phone.get_by_role("heading", level=1).inner_text() == "You have tried too many times"
    axe_check(phone)
