"""An agent raises a repair for a caller on the phone channel and books it while they wait."""

from __future__ import annotations

import pytest

from repairs.models import Channel, Report
from scheduling.models import Appointment, AppointmentStatus
from tests.backoffice.conftest import signed_in
from tests.properties.factories import PropertyFactory
from tests.repairs.factories import PriorityFactory, TradeFactory
from tests.scheduling.factories import RoutingRuleFactory, builtin_team

pytestmark = pytest.mark.django_db


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
