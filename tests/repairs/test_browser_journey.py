# ruff: noqa: F811 (the `world` fixture is imported, and test arguments name it)
"""The resident journey in headless Chromium at 320px, with JavaScript on and off: axe-core and vnu on
every page, error states included."""

from __future__ import annotations

import pytest

from repairs.models import Report
from scheduling.models import Appointment
from tests.repairs.test_journey_fixtures import photo_bytes, world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def phone(request, browser):
    context = browser.new_context(
        locale="en-GB", viewport={"width": 320, "height": 640}, java_script_enabled=request.param
    )
    context._js = request.param
    yield context.new_page()
    context.close()


class Pages:
    """Checks each page with axe-core as it is reached and keeps its HTML for one vnu run at the end."""

    def __init__(self, page, axe_check) -> None:
        self.page, self.axe_check, self.documents = page, axe_check, {}
        self.js = page.context.__dict__.get("_js", True)

    def check(self, name: str) -> None:
        if not self.js:  # axe-core and the width probe run as scripts: the JavaScript run checks them
            return
        self.axe_check(self.page)
        assert self.page.evaluate("document.documentElement.scrollWidth") <= 320, f"{name} scrolls sideways"
        self.documents[f"{len(self.documents):02d}-{name}"] = self.page.content()

    def go(self, button: str = "Continue") -> None:
        self.page.get_by_role("button", name=button).click()
        self.page.wait_for_load_state()


def test_an_in_home_leak_is_reported_with_a_photo_booked_and_followed(
    phone, live_server, world, axe_check, html_check, tmp_path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path
    pages = Pages(phone, axe_check)
    phone.goto(live_server.url + world.leak.url)
    phone.get_by_role("button", name="Report this repair").click()
    pages.go()  # no postcode: the error state
    assert phone.locator(".govuk-error-summary").is_visible()
    pages.check("postcode-error")
    phone.get_by_label("What is your postcode?").fill("aa1 1ab")
    pages.go()
    pages.check("address")
    phone.get_by_label(world.homes[0].one_line_address).check()
    pages.go()
    pages.go()
    pages.check("description-error")
    phone.get_by_label("Describe the problem").fill("The kitchen tap drips all night")
    pages.go()
    photo = tmp_path / "leak.jpg"
    photo.write_bytes(photo_bytes(gps=True))
    phone.set_input_files("#photo", str(photo))
    pages.go("Upload photo")
    pages.check("photos")
    assert "leak.jpg" in phone.content()
    pages.go()
    pages.check("access")
    phone.locator("#access_notes").fill("Key safe by the door")
    pages.go()
    phone.get_by_label("Phone number (optional)").fill("12")
    pages.go()
    pages.check("contact-error")
    phone.get_by_label("Full name").fill("Sam Resident")
    phone.get_by_label("Phone number (optional)").fill("07400 123456")
    pages.go()
    phone.get_by_label("Email", exact=True).check()
    pages.go()
    pages.check("updates-error")
    phone.get_by_label("Email address (if you chose email)").fill("sam@example.invalid")
    pages.go()
    pages.go()
    pages.check("appointment-error")
    phone.locator("input[name=slot]").first.check()
    pages.go()
    pages.check("check-answers")
    pages.go("Report repair")
    pages.check("confirmation")
    report = Report.objects.get()
    assert report.reference in phone.content()
    assert report.photos.count() == 1
    phone.get_by_role("link", name="Check the progress of your repair").click()
    pages.check("status")
    assert "Booked" in phone.content() and "Sam Resident" not in phone.content()
    if pages.documents:
        html_check(pages.documents)


def test_change_then_cancel_an_appointment_from_the_status_page(
    phone, live_server, world, axe_check, html_check, client
) -> None:
    from tests.repairs.test_journey_fixtures import walk_in_home

    walk_in_home(client, world)
    token = client.get("/repairs/report/check-your-answers/").context["submission"]
    client.post("/repairs/report/check-your-answers/", {"submission": token})
    report = Report.objects.get()
    pages = Pages(phone, axe_check)
    phone.goto(live_server.url + f"/repairs/status/{report.status_token}/")
    pages.check("status")
    phone.get_by_role("link", name="Change the appointment").click()
    pages.go()
    pages.check("change-error")
    phone.locator("input[name=slot]").last.check()
    pages.go()
    assert "Your appointment has been changed." in phone.content()
    pages.check("changed")
    phone.get_by_role("link", name="Cancel the appointment").click()
    pages.check("cancel-confirm")
    pages.go("Cancel the appointment")
    assert not Appointment.objects.filter(job=report.job, status="booked").exists()
    pages.check("cancelled")
    if pages.documents:
        html_check(pages.documents)


def test_a_home_with_a_cautionary_alert_is_told_we_will_call(phone, live_server, world, axe_check) -> None:
    from django.test import Client

    from tests.repairs.test_journey_fixtures import walk_in_home

    client = Client()
    walk_in_home(client, world, home=world.alert_home, slot=None)
    phone.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    phone.goto(live_server.url + "/repairs/report/appointment/")
    assert "phone you" in phone.content()
    assert "pairs" not in phone.locator("main").inner_text().lower()
    if phone.context._js:
        axe_check(phone)


def test_the_check_a_repair_form_and_its_error_are_accessible(
    phone, live_server, world, axe_check, html_check
) -> None:
    pages = Pages(phone, axe_check)
    phone.goto(live_server.url + "/repairs/status/")
    pages.check("check-a-repair")
    phone.get_by_label("Repair reference").fill("RP-222222")
    phone.get_by_label("Postcode of the repair").fill("AA1 1AB")
    pages.go("Check repair")
    assert phone.locator(".govuk-error-summary").is_visible()
    pages.check("check-a-repair-error")
    if pages.documents:
        html_check(pages.documents)
