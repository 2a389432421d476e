"""The reports page in headless Chromium: a manager opens it, filters it, and axe-core finds nothing;
with JavaScript off the charts, their summaries and their tables read exactly the same."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from tests.workflows.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long test password 42"
PERIOD = "?start=30%2F03%2F2026&end=26%2F04%2F2026"


@pytest.fixture
def manager(transactional_db):
    user = UserFactory(username="reports-manager", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="reports", codename="view_service_reports")
    )
    Group.objects.get_or_create(name="Repairs managers")
    return user


def sign_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/back-office/reports/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/back-office/reports/")


def charts_text(page) -> list[str]:
    return [
        page.locator("figure.app-chart").nth(i).inner_text()
        for i in range(page.locator("figure.app-chart").count())
    ]


def test_a_manager_opens_the_reports_filters_them_and_axe_finds_nothing(
    page, live_server, manager, service, axe_check
) -> None:
    sign_in(page, live_server, manager)
    page.get_by_label("From").first.fill("30/03/2026")
    page.get_by_label("To", exact=True).fill("26/04/2026")
    page.get_by_role("button", name="Apply filters").first.click()
    page.get_by_text("From 30 March 2026 to 26 April 2026").wait_for()
    assert page.locator("#headline").get_by_text("60% (3 of 5 repairs").count() == 1
    axe_check(page)

    page.get_by_label("Electrical").check()
    page.get_by_role("button", name="Apply filters").first.click()
    page.locator(".moj-filter__tag", has_text="Electrical").wait_for()
    assert "Over 4 weeks, 2 jobs raised and 1 completed." in page.content()
    page.locator("figure.app-chart details summary").first.click()
    assert page.locator("table[data-chart-table='flow']").is_visible()
    axe_check(page)


def test_the_charts_read_the_same_with_javascript_off(
    browser, page, no_js_page, live_server, manager, service
) -> None:
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/back-office/reports/{PERIOD}")
    with_js = charts_text(page)
    svg_with_js = page.locator("figure.app-chart svg").first.inner_html()
    cookies = page.context.cookies()
    no_js_page.context.add_cookies(cookies)
    no_js_page.goto(f"{live_server.url}/back-office/reports/{PERIOD}")
    assert len(with_js) == 5
    assert charts_text(no_js_page) == with_js
    assert no_js_page.locator("figure.app-chart svg").first.inner_html() == svg_with_js
    assert no_js_page.locator("svg[role='img'] title").count() == 5
    # The tables sit in <details>, which opens without JavaScript.
    no_js_page.locator("figure.app-chart details summary").first.click()
    assert no_js_page.locator("table[data-chart-table='flow']").is_visible()
