# ruff: noqa: F811 (fixtures are imported, and test arguments name them)
"""Day 0 is when the report reaches us, through each real door: the public journey, an agent taking a
call through the same diagnosis, and the repairs API. Each report is made at 23:59 on Friday 7 November
2025 (the server's clock moved with time-machine), so day one is Monday 10th and the 10 working days to
investigate end on Friday 21st; and in summer time, when London is an hour ahead of UTC, a report
at 00:30 on a Tuesday counts from Tuesday, not from Monday's date in UTC."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cms.models import OutcomePage, OutcomeType, RepairLocation
from repairs.models import Channel, Priority, Report
from tests.api.conftest import bearer, key_secret, register  # noqa: F401
from tests.backoffice.conftest import agent, signed_in  # noqa: F401
from tests.cms.factories import add_page
from tests.repairs.factories import TradeFactory
from tests.repairs.test_journey_fixtures import begin, world  # noqa: F401
from workflows.hazards.models import HazardCase, HazardKind, Stage

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
FRIDAY_2359 = datetime.datetime(2025, 11, 7, 23, 59, tzinfo=LONDON)
DUE_FRIDAY_21 = datetime.datetime(2025, 11, 21, 23, 59, 59, tzinfo=LONDON)


@pytest.fixture
def damp_outcome(world) -> OutcomePage:
    return add_page(
        world.start,
        OutcomePage(
            title="Report damp and mould",
            summary="Damp or mould that keeps coming back",
            outcome_type=OutcomeType.BOOKABLE,
            location=RepairLocation.IN_HOME,
            trade=TradeFactory(code="DM", name="Damp and mould"),
            job_size="M",
            priority=Priority.objects.get(code="DMI"),
            hazard_kind=HazardKind.objects.get(code="damp-and-mould"),
            asks_about_household=True,
        ),
    )


def report_online(client: Client, world, outcome: OutcomePage) -> Report:
    """The public journey, page by page, to the confirmation."""
    begin(client, outcome)
    answers = [
        ("postcode", {"postcode": "aa11ab"}),
        ("address", {"choice": str(world.homes[0].pk)}),
        ("description", {"description": "Black mould behind the wardrobe"}),
        ("household", {"choice": "no"}),
        ("photos", {"action": "continue"}),
        ("access", {"access_notes": ""}),
        ("contact", {"contact_name": "Sam Resident", "contact_phone": ""}),
        ("updates", {"update_preference": "email", "contact_email": "sam@example.invalid"}),
    ]
    for step, data in answers:
        response = client.post(reverse(f"repairs:report_{step}"), data)
        assert response.status_code == 302, (step, response.content.decode()[:500])
    if client.get(reverse("repairs:report_appointment")).status_code == 200:
        client.post(reverse("repairs:report_appointment"))
    token = client.get(reverse("repairs:report_check")).context["submission"]
    assert client.post(reverse("repairs:report_check"), {"submission": token}).status_code == 302
    return Report.objects.order_by("-pk").first()


def assert_day_0(report: Report, moment: datetime.datetime, due: datetime.datetime) -> None:
    case = HazardCase.objects.get(job=report.job)
    assert report.created_at == moment
    assert case.aware_at == moment
    assert case.stages.get(stage=Stage.INVESTIGATION).due_at == due


def test_day_0_online_is_the_moment_the_resident_submits(world, damp_outcome) -> None:
    with time_machine.travel(FRIDAY_2359, tick=False):
        report = report_online(Client(), world, damp_outcome)
    assert report.channel == Channel.ONLINE
    assert_day_0(report, FRIDAY_2359, DUE_FRIDAY_21)


def test_day_0_by_phone_is_the_moment_the_agent_submits_the_call(world, damp_outcome, agent) -> None:
    client = signed_in(agent)
    with time_machine.travel(FRIDAY_2359, tick=False):
        client.post("/back-office/raise/diagnosis/")  # the agent takes the call through the diagnosis
        report = report_online(client, world, damp_outcome)
    assert (report.channel, report.created_by) == (Channel.PHONE, agent)
    assert_day_0(report, FRIDAY_2359, DUE_FRIDAY_21)


def test_day_0_through_the_api_is_the_moment_the_request_arrives(client, register, bearer) -> None:
    TradeFactory(code="DM", name="Damp and mould")
    body = {
        "address_id": register["homes"][0].property_ref,
        "repair": {"trade": "DM", "priority": "DMI", "size": "M", "description": "Mould in the bedroom"},
        "contact": {"name": "Sam Resident", "email": "sam@example.invalid", "updates": "email"},
        "slot": None,
    }
    with time_machine.travel(FRIDAY_2359, tick=False):
        answer = client.post("/api/v1/repairs", body, content_type="application/json", **bearer)
    assert answer.status_code == 201, answer.content
    report = Report.objects.get(reference=answer.json()["reference"])
    assert report.channel == Channel.API
    assert_day_0(report, FRIDAY_2359, DUE_FRIDAY_21)


def test_a_report_just_after_midnight_in_summer_time_counts_from_the_london_date(world, damp_outcome) -> None:
    # 00:30 on Tuesday 3 June 2025 in London is 23:30 on Monday 2 June in UTC: day one is Wednesday 4th,
    # so the tenth working day is Tuesday 17 June (no bank holiday between).
    tuesday = datetime.datetime(2025, 6, 3, 0, 30, tzinfo=LONDON)
    with time_machine.travel(tuesday, tick=False):
        report = report_online(Client(), world, damp_outcome)
    assert_day_0(report, tuesday, datetime.datetime(2025, 6, 17, 23, 59, 59, tzinfo=LONDON))
