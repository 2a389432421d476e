"""Public pages in headless Chromium: accessible (axe-core), valid HTML (vnu), working without JavaScript."""

from __future__ import annotations

import urllib.request

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "/report-a-repair/where-is-the-problem/"
PAGES = {
    "home": "/",
    "start": "/report-a-repair/",
    "question": QUESTION,
    "emergency outcome": "/report-a-repair/flooding/",
    "bookable outcome": "/report-a-repair/where-is-the-problem/in-your-home/leaks-and-plumbing/"
    "report-a-dripping-tap-or-small-leak/",
    "report by phone": "/report-a-repair/where-is-the-problem/in-your-home/leaks-and-plumbing/"
    "report-a-dripping-tap-or-small-leak/report/",
    "self-help outcome": "/report-a-repair/where-is-the-problem/in-your-home/heating-and-hot-water/"
    "cold-radiators/",
    "self-help guide": "/bleed-a-radiator/",
    "emergency advice": "/emergencies/",
}


@pytest.fixture
def starter_site(transactional_db) -> None:
    with open("/dev/null", "w") as quiet:
        call_command("load_starter_content", english_only=True, stdout=quiet)


def show_question_error(page, live_server) -> None:
    page.goto(live_server.url + QUESTION)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector(".govuk-error-summary")


def test_public_pages_have_no_axe_violations(page, live_server, starter_site, axe_check) -> None:
    for url in PAGES.values():
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        axe_check(page)
    show_question_error(page, live_server)
    axe_check(page)


def test_question_error_state_moves_focus_to_the_error_summary(page, live_server, starter_site) -> None:
    show_question_error(page, live_server)
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    page.get_by_role("link", name="Select where the problem is").click()
    assert page.evaluate("document.activeElement.name") == "answer"


def test_govuk_frontend_javascript_runs_under_the_content_security_policy(
    page, live_server, starter_site
) -> None:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(live_server.url + QUESTION)
    assert "govuk-frontend-supported" in page.evaluate("document.body.className")
    assert page.locator("[data-module='govuk-radios'][data-govuk-radios-init]").count() == 1
    assert problems == []


def test_public_pages_are_valid_html(live_server, starter_site, html_check) -> None:
    documents = {}
    for name, url in PAGES.items():
        with urllib.request.urlopen(live_server.url + url) as response:
            documents[name.replace(" ", "-")] = response.read().decode()
    documents["question-error"] = _post_empty_answer(live_server.url + QUESTION)
    html_check(documents)


def _post_empty_answer(url: str) -> str:
    """The error state's HTML, fetched as a browser would: GET for the CSRF cookie and token, then POST."""
    import http.cookiejar
    import re
    import urllib.error
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(url).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode()
    )
    request.add_header("Referer", url)
    try:
        opener.open(request)
    except urllib.error.HTTPError as error:  # a 400 carries the page with the errors
        assert error.code == 400
        return error.read().decode()
    raise AssertionError("posting no answer should be refused with 400")


def test_a_diagnosis_can_be_walked_to_an_outcome_without_javascript(
    no_js_page, live_server, starter_site
) -> None:
    page = no_js_page
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Report a repair").click()
    page.get_by_role("button", name="Start now").click()
    assert page.locator("h1").inner_text() == "Where is the problem?"

    page.get_by_role("button", name="Continue").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.locator("title").inner_text().startswith("Error:")

    page.get_by_label("In my home").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Leaks, taps, toilets and plumbing").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("A dripping tap or a small leak I can catch in a bowl").check()
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text() == "Report a dripping tap or small leak"

    page.get_by_role("link", name="Back").click()
    assert page.locator("h1").inner_text() == "What is the problem with the water or plumbing?"
    page.get_by_label("Water is pouring in or flooding and I cannot stop it").check()
    page.get_by_role("button", name="Continue").click()
    assert (
        page.locator(".govuk-panel--interruption h1").inner_text() == "Flooding is an emergency: call us now"
    )
    assert page.locator("#main-content").get_by_role("link", name="020 7946 0999").is_visible()
