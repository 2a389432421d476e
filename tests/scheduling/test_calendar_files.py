"""iCalendar: a team's feed behind an unguessable token, and a resident's own .ics file."""

from __future__ import annotations

import icalendar
import pytest
from django.urls import reverse

from scheduling.booking import book_appointment, slots_for_job
from scheduling.models import TeamCalendar
from tests.repairs.factories import ReportFactory, TradeFactory
from tests.scheduling.conftest import next_monday
from tests.scheduling.factories import ConnectionFactory, RoutingRuleFactory, builtin_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked():
    team = builtin_team(trade_code="PL")
    RoutingRuleFactory(trade=TradeFactory(code="PL"), connection=ConnectionFactory(), team=team)
    report = ReportFactory(
        job__trade=TradeFactory(code="PL"), contact_name="Sam Resident", contact_phone="07700900123"
    )
    slot = slots_for_job(job=report.job, start=next_monday()).slots[0]
    return team, book_appointment(job=report.job, slot=slot), slot


def test_the_team_feed_lists_the_visit_without_personal_details(client, booked):
    team, _, slot = booked
    response = client.get(
        reverse("scheduling:team_feed", args=[TeamCalendar.objects.get(team=team).feed_token])
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert [event.decoded("DTSTART") for event in events] == [slot.start]
    assert b"Sam Resident" not in response.content and b"07700900123" not in response.content


def test_a_wrong_feed_token_finds_nothing(client, booked):
    assert client.get(reverse("scheduling:team_feed", args=["not-the-token"])).status_code == 404


def test_the_resident_can_download_their_appointment(client, booked):
    _, appointment, slot = booked
    response = client.get(reverse("scheduling:appointment_ics", args=[appointment.calendar_token]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="repair-appointment.ics"'
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (slot.start, slot.end)
    assert str(event["SUMMARY"]) == f"Repair appointment: {appointment.job.trade.name}"
