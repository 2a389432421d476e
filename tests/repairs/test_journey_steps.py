# ruff: noqa: F811 (the `world` fixture is imported, and test arguments name it)
"""Every page of the resident journey through Django's test client: answers, errors, back links, guards."""

from __future__ import annotations

import pytest

from repairs.journey import booking
from repairs.models import Report
from scheduling.models import NeedsBooking
from scheduling.port import SchedulerError, SlotUnavailable
from tests.repairs.test_journey_fixtures import begin, walk_in_home, world  # noqa: F401

pytestmark = pytest.mark.django_db


def submit(client):
    token = client.get("/repairs/report/check-your-answers/").context["submission"]
    return client.post("/repairs/report/check-your-answers/", {"submission": token})


def test_without_a_diagnosis_the_journey_says_the_session_has_ended(client, world) -> None:
    response = client.get("/repairs/report/", follow=True)
    assert "Your answers have not been saved" in response.content.decode()
    assert client.get("/repairs/report/description/")["Location"] == "/repairs/report/session-ended/"


def test_an_emergency_outcome_never_reaches_the_report_pages(client, world) -> None:
    response = begin(client, world.emergency)
    assert response["Location"] == world.emergency.url
    assert client.get("/repairs/report/postcode/")["Location"] == "/repairs/report/session-ended/"


def test_only_a_bookable_outcome_has_a_report_by_phone_page(client, world) -> None:
    assert client.get(world.emergency.url + "report/").status_code == 404
    assert client.get(world.leak.url + "report/").status_code == 200


def test_the_outcome_page_leads_to_the_journey(client, world) -> None:
    assert 'href="/repairs/report/"' in client.get(world.leak.url).content.decode()


def test_a_missing_postcode_and_a_wrong_one_get_clear_messages_and_keep_what_was_typed(client, world) -> None:
    begin(client, world.leak)
    empty = client.post("/repairs/report/postcode/", {"postcode": ""})
    assert empty.status_code == 400
    assert "Enter a postcode" in empty.content.decode()
    wrong = client.post("/repairs/report/postcode/", {"postcode": "NOT A CODE"})
    html = wrong.content.decode()
    assert "Enter a real postcode" in html and 'value="NOT A CODE"' in html
    assert '<a href="#postcode">' in html  # the error summary links to the field


def test_the_address_page_lists_homes_in_order_and_needs_a_choice(client, world) -> None:
    begin(client, world.leak)
    client.post("/repairs/report/postcode/", {"postcode": "AA1 1AB"})
    page = client.get("/repairs/report/address/").content.decode()
    assert page.index("Flat 1,") < page.index("Flat 2,") < page.index("Flat 3,")
    missing = client.post("/repairs/report/address/", {})
    assert missing.status_code == 400 and "Select your address" in missing.content.decode()


def test_an_address_not_listed_gets_a_clear_exit(client, world) -> None:
    begin(client, world.leak)
    client.post("/repairs/report/postcode/", {"postcode": "AA1 1AB"})
    response = client.post("/repairs/report/address/", {"choice": "not_listed"}, follow=True)
    html = response.content.decode()
    assert "We cannot take this report online" in html and "housing association" in html


def test_a_postcode_with_no_council_homes_says_so(client, world) -> None:
    begin(client, world.leak)
    client.post("/repairs/report/postcode/", {"postcode": "AA9 9ZZ"})
    html = client.get("/repairs/report/address/").content.decode()
    assert "We could not find" in html and "Try a different postcode" in html


def test_a_page_reached_too_early_sends_the_resident_to_the_first_unanswered_question(client, world) -> None:
    begin(client, world.leak)
    assert client.get("/repairs/report/check-your-answers/")["Location"] == "/repairs/report/postcode/"


def test_back_links_walk_the_path_taken_and_change_links_return_to_check(client, world) -> None:
    walk_in_home(client, world)
    assert client.get("/repairs/report/description/").context["back_url"] == "/repairs/report/address/"
    assert client.get("/repairs/report/postcode/").context["back_url"] == world.leak.url
    check = client.get("/repairs/report/check-your-answers/").content.decode()
    assert "/repairs/report/description/?change=1" in check
    assert client.get("/repairs/report/description/?change=1").context["back_url"] == (
        "/repairs/report/check-your-answers/"
    )
    response = client.post("/repairs/report/description/?change=1", {"description": "Now it pours"})
    assert response["Location"] == "/repairs/report/check-your-answers/"


def test_a_description_too_long_is_refused_and_kept(client, world) -> None:
    walk_in_home(client, world)
    text = "drip " * 250
    response = client.post("/repairs/report/description/", {"description": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert "1000 characters or less" in html and text.strip() in html


def test_a_description_is_shown_escaped_on_the_check_page(client, world) -> None:
    walk_in_home(client, world)
    html = client.get("/repairs/report/check-your-answers/").content.decode()
    assert "Tap drips &lt;b&gt;all night&lt;/b&gt;" in html and "<b>all night</b>" not in html


def test_a_wrong_phone_number_is_refused_and_the_name_kept(client, world) -> None:
    walk_in_home(client, world)
    response = client.post(
        "/repairs/report/contact-details/", {"contact_name": "Sam", "contact_phone": "12345"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "Enter a UK phone number" in html and 'value="Sam"' in html
    assert 'value="12345"' in html
    missing = client.post("/repairs/report/contact-details/", {"contact_name": "", "contact_phone": ""})
    assert "Enter your full name" in missing.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select how you want to get updates"),
        ({"update_preference": "email"}, "Enter your email address"),
        ({"update_preference": "email", "contact_email": "sam-at-home"}, "correct format"),
        ({"update_preference": "sms", "update_phone": ""}, "Enter a UK mobile number"),
        ({"update_preference": "sms", "update_phone": "01632 960 001"}, "Enter a UK mobile number"),
    ],
)
def test_update_preferences_need_the_matching_contact_and_keep_what_was_typed(
    client, world, data, message
) -> None:
    walk_in_home(client, world)
    response = client.post("/repairs/report/updates/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    if "update_preference" in data:
        assert f'value="{data["update_preference"]}" checked' in html
    for typed in (data.get("contact_email"), data.get("update_phone")):
        if typed:
            assert f'value="{typed}"' in html


def test_the_check_a_repair_form_keeps_what_was_typed_on_an_error(client, world) -> None:
    html = client.post("/repairs/status/", {"reference": "RP-222222", "postcode": "aa1 1ab"}).content.decode()
    assert 'value="RP-222222"' in html and 'value="aa1 1ab"' in html


def test_a_uk_mobile_is_stored_in_international_form(client, world) -> None:
    walk_in_home(client, world)
    client.post("/repairs/report/updates/", {"update_preference": "sms", "update_phone": "07400 123456"})
    assert client.session["report_journey"]["update_phone"] == "+447400123456"


def test_the_appointment_page_offers_a_week_and_later_dates_and_needs_a_choice(client, world) -> None:
    walk_in_home(client, world, slot=None)
    page = client.get("/repairs/report/appointment/")
    assert page.context["later_url"].startswith("/repairs/report/appointment/?from=")
    later = client.get(page.context["later_url"])
    assert later.context["radios"]["items"][0]["value"] != page.context["radios"]["items"][0]["value"]
    assert later.context["earlier_url"]
    missing = client.post("/repairs/report/appointment/", {})
    assert missing.status_code == 400 and "Select an appointment" in missing.content.decode()


def test_a_home_with_a_cautionary_alert_gets_a_call_back_and_never_the_reason(client, world) -> None:
    walk_in_home(client, world, home=world.alert_home, slot=None)
    html = client.get("/repairs/report/appointment/").content.decode()
    assert "phone you" in html.lower() or "call you" in html.lower()
    assert (
        "in pairs" not in html.lower()
        and "cautionary" not in html.lower()
        and "staff only" not in html.lower()
    )
    client.post("/repairs/report/appointment/")
    response = submit(client)
    report = Report.objects.get()
    assert not report.job.appointments.exists()
    assert NeedsBooking.objects.filter(job=report.job, resolved_at__isnull=True).exists()
    confirmation = client.get(response["Location"]).content.decode()
    assert "in pairs" not in confirmation.lower() and "cautionary" not in confirmation.lower()


def test_a_slot_taken_meanwhile_saves_nothing_and_keeps_every_answer(client, world, monkeypatch) -> None:
    walk_in_home(client, world)

    def taken(**kwargs):
        raise SlotUnavailable()

    monkeypatch.setattr(booking, "book_appointment", taken)
    response = submit(client)
    assert response["Location"] == "/repairs/report/appointment/"
    assert not Report.objects.exists()
    page = client.get("/repairs/report/appointment/")
    assert "has just been taken" in page.content.decode()
    assert client.session["report_journey"]["description"] == "Tap drips <b>all night</b>"


def test_a_double_submit_makes_one_report(client, world) -> None:
    walk_in_home(client, world)
    token = client.get("/repairs/report/check-your-answers/").context["submission"]
    first = client.post("/repairs/report/check-your-answers/", {"submission": token})
    second = client.post("/repairs/report/check-your-answers/", {"submission": token})
    assert first["Location"] == "/repairs/report/confirmation/"
    assert second.status_code == 302
    assert Report.objects.count() == 1


def test_a_repeat_of_the_same_submission_returns_the_first_report(world) -> None:
    from django.test import Client

    from repairs.journey import state
    from repairs.journey import submit as submission

    client = Client()
    walk_in_home(client, world)
    journey = state.current(client.session)
    first = submission.submit(journey, token="t-1")
    assert submission.submit(journey, token="t-1") == first
    assert Report.objects.count() == 1


def test_with_the_scheduler_down_the_report_is_saved_and_waits_for_booking(
    client, world, monkeypatch
) -> None:
    def down(**kwargs):
        raise SchedulerError("Connection refused", retryable=True)

    monkeypatch.setattr(booking, "slots_for_job", down)
    walk_in_home(client, world, slot=None)
    page = client.get("/repairs/report/appointment/").content.decode()
    assert "cannot show appointment times right now" in page
    client.post("/repairs/report/appointment/")
    monkeypatch.setattr(booking, "book_appointment", down)
    response = submit(client)
    assert response["Location"] == "/repairs/report/confirmation/"
    report = Report.objects.get()
    assert NeedsBooking.objects.filter(job=report.job).exists()
    assert "contact you" in client.get(response["Location"]).content.decode()


def test_the_confirmation_gives_the_reference_and_the_status_link(client, world) -> None:
    walk_in_home(client, world)
    html = client.get(submit(client)["Location"]).content.decode()
    report = Report.objects.get()
    assert report.reference in html
    assert f"/repairs/status/{report.status_token}/" in html
    assert "govuk-panel--confirmation" in html
    assert report.access_notes == "Key safe by the door"


def test_an_expired_session_mid_journey_starts_cleanly(client, world) -> None:
    walk_in_home(client, world)
    session = client.session
    session.flush()
    response = client.get("/repairs/report/contact-details/", follow=True)
    assert "Your answers have not been saved" in response.content.decode()


def test_a_broken_lift_reported_from_three_homes_is_one_job_with_three_reporters(world) -> None:
    from django.test import Client

    for number, home in enumerate(world.homes):
        client = Client()
        begin(client, world.lift)
        client.post("/repairs/report/postcode/", {"postcode": "AA1 1AB"})
        client.post("/repairs/report/address/", {"choice": str(world.lift_area.pk)})
        client.post("/repairs/report/your-address/", {"choice": str(home.pk)})
        if number:
            page = client.get("/repairs/report/already-reported/").content.decode()
            assert "already reported" in page
            assert f"{number} neighbour" in page
            client.post("/repairs/report/already-reported/")
        client.post("/repairs/report/description/", {"description": "Lift stuck"})
        client.post("/repairs/report/photos/", {"action": "continue"})
        client.post("/repairs/report/contact-details/", {"contact_name": f"Resident {number}"})
        client.post("/repairs/report/updates/", {"update_preference": "none"})
        assert client.get("/repairs/report/check-your-answers/").status_code == 200
        submit(client)
    reports = Report.objects.all()
    assert reports.count() == 3
    assert len({r.job_id for r in reports}) == 1
    assert {r.reporter_property_id for r in reports} == {h.pk for h in world.homes}


def test_report_a_repair_after_self_help_keeps_the_answers_given_so_far(client, world) -> None:
    import json

    from cms.models import OutcomePage, OutcomeType, SelfHelpPage
    from tests.cms.factories import add_page, add_question

    guide = add_page(
        world.start.get_parent(),
        SelfHelpPage(
            title="How to bleed a radiator",
            intro="Let the air out.",
            body=json.dumps(
                [{"type": "still_need_repair", "value": {"heading": "Still cold?", "page": world.start.pk}}]
            ),
        ),
    )
    cold = add_page(
        world.start,
        OutcomePage(
            title="You can fix this yourself",
            summary="Air in the radiator",
            outcome_type=OutcomeType.SELF_HELP,
            self_help_page=guide,
        ),
    )
    heating = add_question(
        world.start, "What is wrong?", [("A cold radiator", cold), ("A dripping tap", world.leak)]
    )
    where = add_question(world.start, "Where is the problem?", [("In my home", heating)])
    client.post(where.url, {"answer": where.answers.get().pk})
    client.post(heating.url, {"answer": heating.answers.get(label="A cold radiator").pk})
    html = client.get(cold.url).content.decode()
    assert f'<a class="govuk-link" href="{heating.url}">Report a repair</a>' in html
    client.post(heating.url, {"answer": heating.answers.get(label="A dripping tap").pk})
    begin(client, world.leak)
    answered = [step.get("answer") for step in client.session["report_journey"]["diagnosis"]]
    assert answered[:2] == ["In my home", "A dripping tap"]


def test_a_photo_chosen_then_continue_is_kept(client, world, settings, tmp_path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.repairs.test_journey_fixtures import photo_bytes

    settings.MEDIA_ROOT = tmp_path
    walk_in_home(client, world)
    upload = SimpleUploadedFile("tap.jpg", photo_bytes(), content_type="image/jpeg")
    response = client.post("/repairs/report/photos/", {"action": "continue", "photo": upload})
    assert response["Location"] == "/repairs/report/check-your-answers/"
    assert "1 photo" in client.get("/repairs/report/check-your-answers/").content.decode()
    bad = SimpleUploadedFile("notes.jpg", b"not a photo", content_type="image/jpeg")
    refused = client.post("/repairs/report/photos/", {"action": "continue", "photo": bad})
    assert refused.status_code == 400 and "govuk-error-summary" in refused.content.decode()


def test_a_postcode_with_many_homes_offers_them_as_one_list_and_keeps_the_choice(client, world) -> None:
    from tests.properties.factories import PropertyFactory

    for n in range(5, 20):
        PropertyFactory(address_line_1=f"Flat {n}, Kestrel House", postcode="AA1 1AB", block=world.block)
    begin(client, world.leak)
    client.post("/repairs/report/postcode/", {"postcode": "AA1 1AB"})
    page = client.get("/repairs/report/address/").content.decode()
    assert '<select class="govuk-select' in page and "19 addresses at AA1 1AB" in page
    assert '<option value="not_listed"' in page
    missing = client.post("/repairs/report/address/", {"choice": ""})
    assert missing.status_code == 400 and 'href="#choice"' in missing.content.decode()
    client.post("/repairs/report/address/", {"choice": str(world.homes[1].pk)})
    again = client.get("/repairs/report/address/").content.decode()
    assert f'<option value="{world.homes[1].pk}" selected>' in again


def test_a_call_back_without_a_phone_number_asks_for_one_and_comes_back(client, world) -> None:
    walk_in_home(client, world, home=world.alert_home, slot=None)
    page = client.get("/repairs/report/appointment/").content.decode()
    assert "You have not given us a phone number" in page
    assert 'href="/repairs/report/contact-details/?change=1"' in page
    response = client.post(
        "/repairs/report/contact-details/?change=1",
        {"contact_name": "Sam Resident", "contact_phone": "07400 123456"},
    )
    assert response["Location"] == "/repairs/report/check-your-answers/"
    assert (
        "You have not given us a phone number"
        not in client.get("/repairs/report/appointment/").content.decode()
    )
