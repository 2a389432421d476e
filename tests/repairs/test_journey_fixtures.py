"""A small world for the resident journey tests: a diagnosis, a block of homes, a lift and a calendar.

Other test_journey_* and test_status_* modules import the fixtures from here (no tests in this module).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.test import Client
from PIL import Image

from cms.models import DiagnosisStartPage, OutcomePage, OutcomeType, RepairLocation
from properties.models import AlertKind, Block, CommunalArea, Property
from repairs.models import Priority, Trade
from scheduling.models import SchedulerKind
from tests.cms.factories import add_page, site_home
from tests.properties.factories import (
    AlertFactory,
    BlockFactory,
    CommunalAreaFactory,
    EstateFactory,
    PropertyFactory,
)
from tests.repairs.factories import PriorityFactory, TradeFactory
from tests.scheduling.factories import ConnectionFactory, RoutingRuleFactory, builtin_team

POSTCODE = "AA1 1AB"


@dataclass
class World:
    start: DiagnosisStartPage
    leak: OutcomePage
    lift: OutcomePage
    emergency: OutcomePage
    block: Block
    homes: list[Property]
    alert_home: Property
    lift_area: CommunalArea
    plumbing: Trade
    routine: Priority


@pytest.fixture
def world(db) -> World:
    home_page = site_home()
    plumbing = TradeFactory(code="PL", name="Plumbing")
    lifts = TradeFactory(code="LF", name="Lifts")
    routine = PriorityFactory()
    emergency_priority = PriorityFactory(
        code="EM", name="Emergency", is_emergency=True, target_unit="hours", target_value=24
    )
    start = add_page(home_page, DiagnosisStartPage(title="Report a repair"))
    leak = add_page(
        start,
        OutcomePage(
            title="Report a small leak",
            summary="A dripping tap or small leak",
            outcome_type=OutcomeType.BOOKABLE,
            location=RepairLocation.IN_HOME,
            trade=plumbing,
            job_size="S",
            priority=routine,
        ),
    )
    lift = add_page(
        start,
        OutcomePage(
            title="Report a lift that is not working",
            summary="A lift that is not working",
            outcome_type=OutcomeType.BOOKABLE,
            location=RepairLocation.COMMUNAL,
            trade=lifts,
            job_size="M",
            priority=routine,
        ),
    )
    emergency = add_page(
        start,
        OutcomePage(
            title="Gas smell: call now",
            summary="A smell of gas",
            outcome_type=OutcomeType.EMERGENCY,
            trade=plumbing,
            priority=emergency_priority,
        ),
    )
    block = BlockFactory(estate=EstateFactory(), postcode=POSTCODE, name="Kestrel House")
    homes = [
        PropertyFactory(address_line_1=f"Flat {n}, Kestrel House", postcode=POSTCODE, block=block)
        for n in (1, 2, 3)
    ]
    alert_home = PropertyFactory(address_line_1="Flat 4, Kestrel House", postcode=POSTCODE, block=block)
    AlertFactory(property=alert_home, kind=AlertKind.CAUTIONARY, description="Staff only: visit in pairs")
    lift_area = CommunalAreaFactory(block=block, name="Lift A")
    team = builtin_team(trade_code="PL", operatives=2)
    RoutingRuleFactory(trade=plumbing, connection=ConnectionFactory(kind=SchedulerKind.BUILTIN), team=team)
    return World(start, leak, lift, emergency, block, homes, alert_home, lift_area, plumbing, routine)


def begin(client: Client, outcome: OutcomePage):
    """Reach `outcome` as the diagnosis would, then start reporting it."""
    client.get(outcome.url)
    return client.get("/repairs/report/")


def photo_bytes(*, fmt: str = "JPEG", gps: bool = False, size=(40, 30)) -> bytes:
    image = Image.new("RGB", size, "red")
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        gps_ifd = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
        exif[0x8825] = gps_ifd
        image.save(out, format=fmt, exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def walk_in_home(client: Client, world: World, *, home: Property | None = None, slot: str | None = "first"):
    """Answer every page of an in-home report up to the check page; returns the chosen slot key."""
    begin(client, world.leak)
    home = home or world.homes[0]
    assert client.post("/repairs/report/postcode/", {"postcode": "aa11ab"}).status_code == 302
    assert client.post("/repairs/report/address/", {"choice": str(home.pk)}).status_code == 302
    assert (
        client.post("/repairs/report/description/", {"description": "Tap drips <b>all night</b>"}).status_code
        == 302
    )
    assert client.post("/repairs/report/photos/", {"action": "continue"}).status_code == 302
    assert client.post("/repairs/report/access/", {"access_notes": "Key safe by the door"}).status_code == 302
    assert (
        client.post(
            "/repairs/report/contact-details/", {"contact_name": "Sam Resident", "contact_phone": ""}
        ).status_code
        == 302
    )
    assert (
        client.post(
            "/repairs/report/updates/", {"update_preference": "email", "contact_email": "sam@example.invalid"}
        ).status_code
        == 302
    )
    page = client.get("/repairs/report/appointment/")
    key = None
    if slot == "first" and page.context and page.context.get("radios"):
        key = page.context["radios"]["items"][0]["value"]
        assert client.post("/repairs/report/appointment/", {"slot": key}).status_code == 302
    elif page.status_code == 200 and "no_booking" in page.templates[0].name:
        client.post("/repairs/report/appointment/")
    return key
