# ruff: noqa: F811 (the `world` fixture is imported, and test arguments name it)
"""An agent raises a repair for a caller: through the public diagnosis in assisted mode (phone channel,
the agent as author, booked while the caller waits), or through the quick form for what the diagnosis
cannot take."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.models import StaffProfile
from repairs.journey import assisted
from repairs.models import Channel, Report
from scheduling.models import Appointment, AppointmentStatus
from tests.backoffice.conftest import signed_in
from tests.properties.factories import PropertyFactory
from tests.repairs.factories import PriorityFactory, TradeFactory
from tests.repairs.test_journey_fixtures import walk_in_home, world  # noqa: F401
from tests.scheduling.factories import RoutingRuleFactory, builtin_team
from workflows.models import JobEvent

pytestmark = pytest.mark.django_db


def start_for_caller(client: Client):
    return client.post("/back-office/raise/diagnosis/")


def submit(client: Client) -> Report:
    """Walk an in-home leak to the check page, choosing the first slot, and report it."""
    token = client.get(reverse("repairs:report_check")).context["submission"]
    response = client.post(reverse("repairs:report_check"), {"submission": token})
    assert response.status_code == 302, response
    return Report.objects.order_by("-pk").first()


def assisted_report(client: Client, world) -> Report:
    walk_in_home(client, world)
    return submit(client)


# --- the diagnosis route ---------------------------------------------------------------------------


def test_the_raise_page_leads_with_the_diagnosis(agent, world) -> None:
    body = signed_in(agent).get("/back-office/raise/").content.decode()
    assert body.index("Start the diagnosis for a caller") < body.index("Or use the quick form")
    assert 'action="/back-office/raise/diagnosis/"' in body


def test_starting_the_diagnosis_opens_the_public_start_page_in_assisted_mode(agent, world) -> None:
    client = signed_in(agent)
    response = start_for_caller(client)
    assert response.status_code == 302 and response["Location"] == world.start.url
    assert client.session[assisted.SESSION_KEY] == agent.pk


def test_starting_again_forgets_the_last_callers_answers(agent, world) -> None:
    client = signed_in(agent)
    start_for_caller(client)
    walk_in_home(client, world)
    start_for_caller(client)
    assert client.get(reverse("repairs:report_description"))["Location"] == reverse("repairs:report_expired")


def test_the_diagnosis_pages_show_the_agent_they_are_reporting_for_a_caller(agent, world) -> None:
    client = signed_in(agent)
    start_for_caller(client)
    for url in [world.start.url, world.leak.url, reverse("repairs:report_start")]:
        body = client.get(url, follow=True).content.decode()
        assert "You are reporting for a caller" in body, url
        assert 'href="/back-office/raise/"' in body


def test_a_resident_sees_no_assisted_banner(world) -> None:
    client = Client()
    walk_in_home(client, world)
    page = client.get(reverse("repairs:report_check")).content.decode()
    assert "You are reporting for a caller" not in page


def test_an_assisted_report_is_a_phone_report_by_the_agent_and_books_the_chosen_slot(agent, world) -> None:
    client = signed_in(agent)
    start_for_caller(client)
    report = assisted_report(client, world)
    job = report.job
    assert (report.channel, job.channel, report.created_by) == (Channel.PHONE, Channel.PHONE, agent)
    assert Appointment.objects.get(job=job).status == AppointmentStatus.BOOKED
    events = {event.action: event.actor for event in JobEvent.objects.filter(job=job)}
    assert events["report_received"] == agent
    assert [e.actor for e in JobEvent.objects.filter(job=job, to_state="scheduled")] == [agent]


def test_a_residents_own_report_stays_online_with_no_author(world) -> None:
    report = assisted_report(Client(), world)
    assert (report.channel, report.created_by) == (Channel.ONLINE, None)
    assert JobEvent.objects.get(job=report.job, action="report_received").actor is None


def test_a_staff_member_reporting_without_assisted_mode_reports_online(agent, world) -> None:
    report = assisted_report(signed_in(agent), world)
    assert (report.channel, report.created_by) == (Channel.ONLINE, None)


def test_the_flag_clears_after_the_submit(agent, world) -> None:
    client = signed_in(agent)
    start_for_caller(client)
    assisted_report(client, world)
    assert assisted.SESSION_KEY not in client.session
    again = assisted_report(client, world)
    assert again.channel == Channel.ONLINE


def test_the_confirmation_gives_the_agent_the_reference_and_the_job(agent, world) -> None:
    client = signed_in(agent)
    start_for_caller(client)
    report = assisted_report(client, world)
    body = client.get(reverse("repairs:report_confirmation")).content.decode()
    assert "Read the caller their reference" in body and report.reference in body
    assert f'href="/back-office/jobs/{report.job_id}/"' in body


def test_a_residents_confirmation_has_no_back_office_links(world) -> None:
    client = Client()
    assisted_report(client, world)
    body = client.get(reverse("repairs:report_confirmation")).content.decode()
    assert "/back-office/" not in body and "Read the caller" not in body


@override_settings(REPORT_RATE_LIMIT=0)
def test_the_per_address_report_limit_does_not_stop_an_agent(agent, world) -> None:
    client = signed_in(agent)
    start_for_caller(client)
    assert assisted_report(client, world).channel == Channel.PHONE
    resident = Client()
    walk_in_home(resident, world)
    token = resident.get(reverse("repairs:report_check")).context["submission"]
    assert resident.post(reverse("repairs:report_check"), {"submission": token}).status_code == 429


# --- who may turn it on, and when the flag counts ---------------------------------------------------


def test_a_contractor_cannot_turn_assisted_mode_on(contractor, world) -> None:
    client = signed_in(contractor)
    assert start_for_caller(client).status_code == 403
    assert assisted.SESSION_KEY not in client.session


def test_a_signed_out_visitor_cannot_turn_assisted_mode_on(world) -> None:
    client = Client()
    response = start_for_caller(client)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert assisted.SESSION_KEY not in client.session


def test_starting_needs_a_post(agent, world) -> None:
    assert signed_in(agent).get("/back-office/raise/diagnosis/").status_code == 405


def test_signing_out_ends_assisted_mode(agent, world) -> None:
    client = signed_in(agent)
    start_for_caller(client)
    client.logout()
    assert assisted.SESSION_KEY not in client.session


def test_a_flag_without_a_signed_in_agent_does_nothing(agent, world) -> None:
    client = Client()
    session = client.session
    session[assisted.SESSION_KEY] = agent.pk  # as if left behind: no one is signed in
    session.save()
    report = assisted_report(client, world)
    assert (report.channel, report.created_by) == (Channel.ONLINE, None)


def test_a_flag_for_another_user_does_nothing(agent, manager, world) -> None:
    client = signed_in(manager)
    session = client.session
    session[assisted.SESSION_KEY] = agent.pk
    session.save()
    assert (assisted_report(client, world).channel, Report.objects.get().created_by) == (Channel.ONLINE, None)


def test_an_agent_made_a_contractor_mid_call_reports_online(agent, contractor_team, world) -> None:
    client = signed_in(agent)
    start_for_caller(client)
    StaffProfile.objects.create(user=agent, team=contractor_team)
    assert assisted_report(client, world).channel == Channel.ONLINE


def test_an_agent_no_longer_staff_reports_online(agent, world) -> None:
    client = signed_in(agent)
    start_for_caller(client)
    agent.is_staff = False
    agent.save()
    assert assisted_report(client, world).channel == Channel.ONLINE


@override_settings(STAFF_TWO_FACTOR=True)
def test_with_two_factor_on_the_flag_needs_the_sessions_confirmed_code(agent, world) -> None:
    client = signed_in(agent)
    session = client.session
    session[assisted.SESSION_KEY] = agent.pk
    session.save()
    assert assisted.agent(client.session) is None
    device = TOTPDevice.objects.create(user=agent, name="phone", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert assisted.agent(client.session) == agent
    device.confirmed = False
    device.save()
    assert assisted.agent(client.session) is None


# --- the quick form --------------------------------------------------------------------------------


def test_the_postcode_search_lists_the_homes_there(agent) -> None:
    home = PropertyFactory(postcode="AA1 1AB")
    body = signed_in(agent).get("/back-office/raise/?postcode=aa11ab").content.decode()
    assert f"/back-office/raise/home/{home.pk}/" in body


def test_a_bad_postcode_says_what_to_enter(agent) -> None:
    body = signed_in(agent).get("/back-office/raise/?postcode=nonsense").content.decode()
    assert "Enter a full UK postcode" in body


def test_a_missing_answer_keeps_what_was_typed(agent) -> None:
    home = PropertyFactory()
    body = (
        signed_in(agent)
        .post(f"/back-office/raise/home/{home.pk}/", {"description": "Tap drips"})
        .content.decode()
    )
    assert "There is a problem" in body and "Tap drips" in body
    assert not Report.objects.exists()


def test_an_agent_raises_a_phone_repair_and_books_a_slot(agent) -> None:
    team = builtin_team(trade_code="PL")
    trade = TradeFactory(code="PL")
    RoutingRuleFactory(trade=trade, team=team)
    home = PropertyFactory()
    client = signed_in(agent)
    response = client.post(
        f"/back-office/raise/home/{home.pk}/",
        {
            "trade": trade.pk,
            "priority": PriorityFactory().pk,
            "size": "S",
            "description": "Kitchen tap drips",
            "contact_name": "Chris Caller",
            "contact_phone": "07700 900456",
            "update_preference": "sms",
        },
    )
    report = Report.objects.get()
    assert (report.channel, report.job.channel, report.created_by) == (Channel.PHONE, Channel.PHONE, agent)
    assert response["Location"] == f"/back-office/jobs/{report.job_id}/appointment/"
    booking_page = client.get(response["Location"]).content.decode()
    slot = booking_page.split('name="slot" type="radio" value="')[1].split('"')[0]
    client.post(response["Location"], {"slot": slot})
    appointment = Appointment.objects.get(job=report.job)
    assert appointment.status == AppointmentStatus.BOOKED
    report.job.refresh_from_db()
    assert report.job.state == "scheduled"


def test_contractors_cannot_raise_repairs(contractor) -> None:
    assert signed_in(contractor).get("/back-office/raise/").status_code == 403
