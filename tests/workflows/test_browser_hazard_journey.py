"""Awaab's Law from end to end in headless Chromium: a resident reports mould in a bedroom with a baby in
the home; a manager sees it in the hazards queue flagged for emergency review, treats it as an
emergency and records the investigation, the safety works, the written summary and the further works;
after each step the resident's status page and Notify message show it, and the clocks on the job page
read right. axe-core checks the hazards queue, the case page, the job page and the printable summary.

The server's clock is moved with time-machine between steps (the live server runs in this process, so
it reads the same clock) and stands still within each step, so every "time left" is exact. The days
are fixed in November 2025, after the clocks went back, so London time is UTC. The browser's own
clock is not moved: session and CSRF cookies last until the browser closes, so Chromium never sees
them as expired at the real date.
"""

from __future__ import annotations

import datetime
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.management import call_command
from PIL import Image

from cms.starter_content import ensure_reference_data
from notifications.models import Message
from repairs.models import Priority, Report
from tests.properties.factories import PropertyFactory
from tests.workflows.factories import UserFactory
from workflows.hazards.models import HazardCase, HazardKind, Stage
from workflows.hazards.rules import ensure_hazard_kinds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LONDON = ZoneInfo("Europe/London")
PASSWORD = "a long test password 42"
POSTCODE = "AA1 1AB"


def london(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=LONDON)


# Friday evening, 14 November 2025: the resident reports; Day 0.
REPORTED = london(2025, 11, 14, 19, 0)
REVIEWED = london(2025, 11, 14, 20, 0)
INSPECTED = london(2025, 11, 15, 9, 15)
MADE_SAFE = london(2025, 11, 15, 16, 0)
SUMMARY_SENT = london(2025, 11, 17, 10, 0)
WORK_BEGUN = london(2025, 11, 19, 8, 30)


@pytest.fixture
def starter_site(transactional_db, settings, tmp_path):
    """The starter diagnosis with its hazard kinds and the shipped Notify rules (browser tests flush the
    database, so what the data migrations made is put back first)."""
    settings.MEDIA_ROOT = tmp_path
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    ensure_reference_data()
    ensure_hazard_kinds(HazardKind, Priority)
    with open("/dev/null", "w") as quiet:
        call_command("load_starter_content", english_only=True, stdout=quiet)
    for migration in ("0002_default_rules", "0003_hazard_events", "0004_hazard_steps_for_residents"):
        importlib.import_module(f"notifications.migrations.{migration}").add_rules(apps, None)
    return PropertyFactory(address_line_1="Flat 2, Heron Court", postcode=POSTCODE)


@pytest.fixture
def manager(transactional_db):
    user = UserFactory(username="manager", first_name="Morgan", last_name="Manager")
    user.set_password(PASSWORD)
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="workflows", codename__in=["manage_hazard_case", "triage_job"]
        )
    )
    return user


class Resident:
    """The resident's side: the public diagnosis and journey, then their status page."""

    def __init__(self, page, base: str) -> None:
        self.page, self.base = page, base

    def choose(self, answer: str, button: str = "Continue") -> None:
        self.page.get_by_label(answer, exact=True).check()
        self.go_on(button)

    def go_on(self, button: str = "Continue") -> None:
        """Press the button and wait for the next page (every answer here moves on)."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button).click()

    def status(self, url: str) -> str:
        self.page.goto(url)
        return self.page.locator("main").inner_text()


DUPLICATE_IDS = """() => {
  const ids = [...document.querySelectorAll("[id]")].map((element) => element.id);
  return ids.filter((id, index) => ids.indexOf(id) !== index);
}"""


def told(report: Report, step: str) -> str:
    """What the resident's Notify message about this step says (the shipped rule, by email)."""
    message = Message.objects.get(job=report.job, audience="reporters", purpose=step)
    assert message.recipient == "sam@example.invalid"
    return message.personalisation.get("public_note", "")


def clock_row(page, stage: str) -> tuple[str, str]:
    """(due by, status) of one stage in the job page's hazard clocks."""
    row = page.locator("#hazard-clocks tbody tr", has=page.locator("th", has_text=stage))
    cells = row.locator("td")
    return cells.nth(0).inner_text().strip(), cells.nth(1).inner_text().strip()


def test_mould_in_a_bedroom_with_a_baby_from_report_to_further_works(
    browser, live_server, starter_site, manager, tmp_path, axe_check
) -> None:
    home = starter_site
    resident_context = browser.new_context(locale="en-GB")
    staff_context = browser.new_context(locale="en-GB")
    for context in (resident_context, staff_context):
        context.set_default_timeout(10_000)
    resident = Resident(resident_context.new_page(), live_server.url)
    staff = staff_context.new_page()
    page = resident.page

    with time_machine.travel(REPORTED, tick=False) as clock:
        # --- the resident walks the starter diagnosis to the damp and mould outcome ---------------
        page.goto(live_server.url + "/report-a-repair/")
        resident.go_on("Start now")
        resident.choose("In my home")
        resident.choose("Damp and mould")
        resident.choose("Mould that keeps coming back, or covers a large area")
        assert "within 10 working days" in page.locator("main").inner_text()
        resident.go_on("Report this repair")
        page.get_by_label("What is your postcode?").fill(POSTCODE)
        resident.go_on()
        page.get_by_label(home.one_line_address).check()
        resident.go_on()
        page.get_by_label("Describe the problem").fill(
            "Black mould on the wall behind the cot in the baby's bedroom. It comes back after cleaning."
        )
        resident.go_on()
        assert "Does anyone who lives in your home have a health condition" in page.content()
        resident.choose("Yes")
        resident.go_on()  # no photos
        resident.go_on()  # nothing to add about getting in
        page.get_by_label("Full name").fill("Sam Resident")
        resident.go_on()
        page.get_by_label("Email", exact=True).check()
        page.get_by_label("Email address (if you chose email)").fill("sam@example.invalid")
        resident.go_on()
        if "/appointment/" in page.url:
            resident.go_on()
        assert "/check-your-answers/" in page.url
        answers = page.locator("main").inner_text()
        assert "Health condition or very young\tYes" in answers
        resident.go_on("Report repair")
        report = Report.objects.get()
        assert report.reference in page.content()
        case = HazardCase.objects.get(job=report.job)
        assert case.aware_at == report.created_at
        assert abs(case.aware_at - REPORTED) < datetime.timedelta(minutes=5)
        status_url = f"{live_server.url}/repairs/status/{report.status_token}/"
        text = resident.status(status_url)
        assert "We will inspect the problem by the end of Friday 28 November 2025." in text
        told(report, "report_received")

        # --- a manager finds it at the top of the hazards queue, flagged for emergency review -----
        clock.move_to(REVIEWED)
        staff.goto(f"{live_server.url}/back-office/hazards/")
        staff.fill("#id_username", manager.username)
        staff.fill("#id_password", PASSWORD)
        staff.get_by_role("button", name="Sign in").click()
        staff.wait_for_url("**/back-office/hazards/")
        first = staff.locator("tbody tr").first
        assert f"Job {report.job_id}" in first.inner_text()
        assert "Emergency review" in first.inner_text()
        assert "28 Nov 2025 23:59" in first.inner_text()
        # From 8pm on Friday 14th to the end of Friday 28th.
        assert "14 days 3 hours left" in first.inner_text()
        axe_check(staff)
        first.get_by_role("link", name=f"Job {report.job_id}").click()
        staff.wait_for_url(f"**/back-office/hazards/jobs/{report.job_id}/")
        staff.get_by_text("Emergency review needed").wait_for()
        # Four forms on this page ask "Why": each label must lead to its own box.
        assert staff.evaluate(DUPLICATE_IDS) == []
        axe_check(staff)
        emergency = staff.locator("form", has=staff.get_by_role("button", name="Treat as an emergency"))
        emergency.get_by_label("Why").fill("A baby sleeps in the room with the mould.")
        emergency.get_by_role("button", name="Treat as an emergency").click()
        staff.get_by_text("Recorded.").wait_for()

        text = resident.status(status_url)
        assert "Treated as an emergency" in text
        assert "We will inspect and make your home safe by 7pm on Saturday 15 November 2025." in text
        assert told(report, "hazard_treated_as_emergency") in text

        staff.goto(f"{live_server.url}/back-office/jobs/{report.job_id}/")
        assert clock_row(staff, "Investigation") == (
            "7pm on Saturday 15 November 2025",
            "Running 23 hours left",
        )
        assert clock_row(staff, "Safety works") == (
            "7pm on Saturday 15 November 2025",
            "Running 23 hours left",
        )

        # --- Saturday morning: the investigation -------------------------------------------------
        clock.move_to(INSPECTED)
        staff.goto(f"{live_server.url}/back-office/hazards/jobs/{report.job_id}/")
        form = staff.locator("form", has=staff.get_by_role("button", name="Record the investigation"))
        form.get_by_label("What the investigation found").fill(
            "Mould across the outside wall of the small bedroom: the gutter above overflows into the wall."
        )
        form.get_by_label("Yes").check()
        form.get_by_label("Further preventative works are needed").check()
        photo = tmp_path / "bedroom-wall.jpg"
        Image.new("RGB", (40, 30), "black").save(photo, format="JPEG")
        form.get_by_label("Photo (optional)").set_input_files(str(photo))
        form.get_by_role("button", name="Record the investigation").click()
        staff.get_by_text("Recorded.").wait_for()

        text = resident.status(status_url)
        assert "Inspection done" in text
        assert told(report, "hazard_investigated") in text
        # Three working days from Saturday: Monday, Tuesday, Wednesday.
        assert (
            "We will send you a written summary of what we found by the end of Wednesday 19 November 2025."
            in text
        )

        staff.goto(f"{live_server.url}/back-office/jobs/{report.job_id}/")
        due, status = clock_row(staff, "Investigation")
        assert due == "7pm on Saturday 15 November 2025" and status.startswith("Met in time")
        assert clock_row(staff, "Safety works") == (
            "7pm on Saturday 15 November 2025",
            "Running 9 hours 45 minutes left",
        )
        assert clock_row(staff, "Written summary") == (
            "the end of Wednesday 19 November 2025",
            "Running 4 days 14 hours left",
        )
        axe_check(staff)
        assert clock_row(staff, "Preventative works") == (
            "the end of Friday 21 November 2025",
            "Running 6 days 14 hours left",
        )

        # --- Saturday afternoon: the home is made safe -------------------------------------------
        clock.move_to(MADE_SAFE)
        staff.goto(f"{live_server.url}/back-office/hazards/jobs/{report.job_id}/")
        form = staff.locator("form", has=staff.get_by_role("button", name="Record the safety works"))
        form.get_by_label("What was done").fill("Gutter cleared, mould treated, dehumidifier left running.")
        form.get_by_role("button", name="Record the safety works").click()
        staff.get_by_text("Recorded.").wait_for()

        text = resident.status(status_url)
        assert "Home made safe" in text
        assert told(report, "hazard_made_safe") == "The work to make your home safe has been done."
        assert told(report, "hazard_made_safe") in text
        staff.goto(f"{live_server.url}/back-office/jobs/{report.job_id}/")
        due, status = clock_row(staff, "Safety works")
        assert status.startswith("Met in time")

        # --- Monday: the written summary, through Notify and as a letter -------------------------
        clock.move_to(SUMMARY_SENT)
        staff.goto(f"{live_server.url}/back-office/jobs/{report.job_id}/")
        assert clock_row(staff, "Written summary") == (
            "the end of Wednesday 19 November 2025",
            "Running 2 days 13 hours left",
        )
        staff.goto(f"{live_server.url}/back-office/hazards/jobs/{report.job_id}/")
        summary = (
            "We found mould on the outside wall of the small bedroom, caused by an overflowing gutter. "
            "We cleared the gutter and treated the mould on Saturday. We will replace the gutter and "
            "insulate the wall, starting by Friday 21 November."
        )
        form = staff.locator("form", has=staff.get_by_role("button", name="Send the written summary"))
        form.get_by_label("Written summary for the resident").fill(summary)
        form.get_by_role("button", name="Send the written summary").click()
        staff.get_by_text("Recorded.").wait_for()

        assert told(report, "hazard_summary_sent") == summary
        message = Message.objects.get(job=report.job, purpose="hazard_summary_sent")
        assert message.personalisation["reference"] == report.reference

        staff.get_by_role("link", name="Print the written summary for post").click()
        staff.wait_for_url(f"**/back-office/hazards/jobs/{report.job_id}/print-summary/")
        axe_check(staff)
        letter = staff.inner_text("body")
        assert summary in letter
        assert home.address_line_1 in letter

        text = resident.status(status_url)
        assert "Written summary sent" in text
        assert summary in text

        staff.goto(f"{live_server.url}/back-office/jobs/{report.job_id}/")
        due, status = clock_row(staff, "Written summary")
        assert status.startswith("Met in time")

        # --- Wednesday: the further works begin, and the case closes -----------------------------
        clock.move_to(WORK_BEGUN)
        staff.goto(f"{live_server.url}/back-office/hazards/jobs/{report.job_id}/")
        form = staff.locator("form", has=staff.get_by_role("button", name="Record the works beginning"))
        form.get_by_label("What was done").fill("Scaffold up; gutter replacement started.")
        form.get_by_role("button", name="Record the works beginning").click()
        staff.get_by_text("Recorded.").wait_for()
        assert "Closed" in staff.content()

        text = resident.status(status_url)
        assert "Work to stop it coming back has started" in text
        assert told(report, "hazard_further_work_started") in text
        staff.goto(f"{live_server.url}/back-office/hazards/")
        assert f"Job {report.job_id}" not in staff.locator("main").inner_text()

    case.refresh_from_db()
    stages = {s.stage: s for s in case.stages.all()}
    assert case.closed_at is not None
    assert all(not s.is_breached() for s in stages.values())
    assert set(stages) == {Stage.INVESTIGATION, Stage.SAFETY_WORKS, Stage.SUMMARY, Stage.PREVENTATIVE_WORKS}
    assert stages[Stage.INVESTIGATION].photo.name.endswith(".jpg")
    resident_context.close()
    staff_context.close()
