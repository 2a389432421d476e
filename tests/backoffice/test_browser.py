# ruff: noqa: F811 (the `world` fixture is imported, and test arguments name it)
"""The back office in headless Chromium: a manager moves a job on, an agent raises and books a repair
for a caller through the public diagnosis, the queue uses a wide screen, and axe-core finds no WCAG 2.2
AA violations on the queue, job, raise-a-repair, assisted diagnosis and property pages."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from backoffice.models import StaffProfile
from properties.models import AlertKind
from repairs.models import Report
from tests.cms.factories import add_question, publish
from tests.properties.factories import AlertFactory, PropertyFactory
from tests.repairs.factories import JobFactory, ReportFactory, TradeFactory
from tests.repairs.test_journey_fixtures import world  # noqa: F401
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


def test_an_agent_raises_a_repair_for_a_caller_and_books_it(
    page, live_server, world, axe_check, transactional_db
) -> None:
    """The agent walks the public diagnosis and report pages for the caller, choosing a slot with them;
    every assisted page passes axe-core, and the job says phone, the agent and the appointment."""
    agent = staff("agent", ["schedule_job", "cancel_job", "unschedule_job"])
    agent.first_name, agent.last_name = "Alex", "Agent"
    agent.save()
    question = add_question(world.start, "What is the problem?", [("A dripping tap", world.leak)])
    world.start.first_question = question
    publish(world.start)
    home = world.homes[0]

    def go(button: str = "Continue") -> None:
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state()

    def assisted_page() -> None:
        assert page.locator(".app-assisted-banner").is_visible(), page.url
        axe_check(page)

    sign_in(page, live_server, agent)
    page.get_by_role("link", name="Raise a repair").click()
    axe_check(page)
    go("Start the diagnosis for a caller")
    assisted_page()
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("A dripping tap").check()
    assisted_page()
    go()
    assisted_page()
    page.get_by_role("button", name="Report this repair").click()
    page.get_by_label("What is your postcode?").fill("AA1 1AB")
    assisted_page()
    go()
    page.get_by_label(home.one_line_address).check()
    go()
    page.get_by_label("Describe the problem").fill("Bath tap will not turn off")
    go()
    go()  # no photos
    assisted_page()
    go()  # nothing about getting in
    page.get_by_label("Full name").fill("Chris Caller")
    page.get_by_label("Phone number (optional)").fill("07400 123456")
    assisted_page()
    go()
    page.get_by_role("radio", name="Text message").check()
    go()
    page.locator("input[name=slot]").first.check()
    chosen = page.locator("input[name=slot]:checked + label").inner_text()
    assisted_page()
    go()
    assisted_page()
    go("Report repair")
    report = Report.objects.get(job__property=home)
    confirmation = page.locator(".app-assisted-confirmation").inner_text()
    assert f"Read the caller their reference, one character at a time: {report.reference}" in confirmation
    axe_check(page)
    page.get_by_role("link", name=f"Open job {report.job_id} in the back office").click()
    page.wait_for_url(f"**/back-office/jobs/{report.job_id}/")
    reported = page.locator(".govuk-summary-card", has_text=report.reference)
    assert "phone by Alex Agent" in reported.inner_text()
    assert page.locator(".moj-badge", has_text="Phone").is_visible()
    appointment = page.locator("h2:has-text('Appointment') + p").inner_text()
    assert appointment.startswith("Booked: "), appointment
    assert chosen.split(",")[0] in appointment  # the day the caller chose, e.g. "Monday 3 March 2026"
    assert (report.channel, report.created_by) == ("phone", agent)


def test_the_queue_uses_the_width_of_a_1280px_screen(page, live_server, manager, tmp_path) -> None:
    for n in range(3):
        ReportFactory(job=JobFactory(description=f"Leak number {n} under the kitchen sink"))
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server, manager)
    page.screenshot(path=tmp_path / "queue-1280.png", full_page=True)
    main = page.locator("main").bounding_box()
    table = page.locator("main table").first.bounding_box()
    assert main["width"] > 1200, main  # GOV.UK's 960px container would leave a third of the screen empty
    assert table["x"] + table["width"] <= main["x"] + main["width"] + 1, (table, main)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


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
