"""The back office in headless Chromium: a manager moves a job on, an agent raises and books a repair,
and axe-core finds no WCAG 2.2 AA violations on the queue, job, raise-a-repair and property pages."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from backoffice.models import StaffProfile
from properties.models import AlertKind
from repairs.models import Report
from tests.properties.factories import AlertFactory, PropertyFactory
from tests.repairs.factories import JobFactory, PriorityFactory, ReportFactory, TradeFactory
from tests.scheduling.factories import RoutingRuleFactory, builtin_team
from tests.workflows.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long test password 42"


def staff(username: str, codenames: list[str]):
    """A member of staff with these lifecycle permissions (groups are flushed between browser tests)."""
    user = UserFactory(username=username)
    user.set_password(PASSWORD)
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="workflows", codename__in=codenames)
    )
    return user


def sign_in(page, live_server, user, next_url: str = "/back-office/") -> None:
    """Through the Wagtail admin's own login page: the back office shares it."""
    page.goto(f"{live_server.url}/back-office/")
    assert "/admin/login/" in page.url
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{next_url}")


@pytest.fixture
def manager(transactional_db):
    return staff(
        "manager", ["triage_job", "schedule_job", "hold_job", "cancel_job", "reject_job", "merge_job"]
    )


def test_a_manager_filters_to_overdue_plumbing_opens_a_job_and_puts_it_on_hold(
    page, live_server, manager
) -> None:
    plumbing = TradeFactory(code="PL", name="Plumbing")
    report = ReportFactory(job=JobFactory(trade=plumbing, description="Leak under the sink"))
    job = report.job
    job.due_at = timezone.now() - datetime.timedelta(days=2)
    job.save(update_fields=["due_at"])
    JobFactory(trade=TradeFactory(code="EL", name="Electrical"))
    sign_in(page, live_server, manager)
    page.get_by_label("Plumbing").check()
    page.get_by_label("Due", exact=True).select_option("overdue")
    page.get_by_role("button", name="Apply filters").first.click()
    page.get_by_role("link", name=f"Job {job.pk}").click()
    page.get_by_role("button", name="Triage").click()
    page.get_by_text(f"Job {job.pk} is now triaged").wait_for()
    hold = page.locator("details", has_text="Put on hold")
    hold.locator("summary").click()
    hold.get_by_label("Note for staff").fill("Supplier says Thursday")
    hold.get_by_label("Reason residents read").fill("We are waiting for a replacement part")
    hold.get_by_role("button", name="Put on hold").click()
    page.get_by_text(f"Job {job.pk} is now on hold").wait_for()
    page.goto(f"{live_server.url}/repairs/status/{report.status_token}/")
    body = page.content()
    assert "We are waiting for a replacement part" in body
    assert "Supplier says Thursday" not in body


def test_an_agent_raises_a_repair_for_a_caller_and_books_it(page, live_server, transactional_db) -> None:
    agent = staff("agent", ["schedule_job", "cancel_job", "unschedule_job"])
    trade = TradeFactory(code="PL", name="Plumbing")
    team = builtin_team(trade_code="PL")
    RoutingRuleFactory(trade=trade, team=team)
    PriorityFactory()
    home = PropertyFactory(postcode="AA1 1AB", address_line_1="7 Test Street")
    sign_in(page, live_server, agent)
    page.get_by_role("link", name="Raise a repair").click()
    page.get_by_label("Caller's postcode").fill("AA1 1AB")
    page.get_by_role("button", name="Find addresses").click()
    page.get_by_role("link", name="7 Test Street").first.click()
    page.get_by_label("Trade").select_option(label="Plumbing")
    page.get_by_label("Priority").select_option(label="Routine")
    page.get_by_label("What is wrong").fill("Bath tap will not turn off")
    page.get_by_label("Caller's name").fill("Chris Caller")
    page.get_by_label("Phone number").fill("07700 900456")
    page.get_by_role("button", name="Raise the repair").click()
    report = Report.objects.get(job__property=home)
    page.get_by_text(report.reference).wait_for()
    page.locator("input[name=slot]").first.check()
    page.get_by_role("button", name="Book this time").click()
    page.get_by_text("Appointment: booked").wait_for()
    assert report.channel == "phone"


def test_back_office_pages_have_no_axe_violations(page, live_server, manager, axe_check) -> None:
    home = PropertyFactory()
    AlertFactory(property=home, kind=AlertKind.VISIT_IN_PAIRS, description="Two staff at all visits")
    job = ReportFactory(job=JobFactory(property=home)).job
    StaffProfile.objects.create(user=manager, team=None)
    sign_in(page, live_server, manager)
    for url in [
        "/back-office/",
        "/back-office/?due=overdue",
        f"/back-office/jobs/{job.pk}/",
        "/back-office/raise/",
        "/back-office/raise/?postcode=AA1+1AB",
        f"/back-office/raise/home/{home.pk}/",
        f"/back-office/properties/{home.pk}/",
    ]:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        axe_check(page)
