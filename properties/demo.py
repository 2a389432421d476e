"""The fictional demo council: estates, blocks, streets of houses, tenancies, alerts and asbestos records.

Everything is made up. Postcodes use the AA area (AA1 to AA4), which has the shape of a UK postcode but
is not a real postcode area; UPRNs start 91 and property references DEMO; phone numbers are in the
07700 900xxx range Ofcom keeps for drama; email addresses are at example.com. The same seed always
builds the same council, and only what is missing is created, so running it twice changes nothing.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction

from .models import (
    Alert,
    AlertKind,
    AsbestosRecord,
    AsbestosRisk,
    Block,
    CommunalArea,
    CommunalAreaKind,
    Contact,
    Estate,
    Property,
    Tenancy,
    Tenure,
)

SEED = 20261124
TOWN = "Demoton"
UPRN_BASE = 910_000_000_000
INCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
HOUSES_PER_POSTCODE = 16

ESTATES = {
    "EST-LAR": "Larkspur Estate",
    "EST-MER": "Meridian Fields Estate",
    "EST-MIL": "Old Mill Estate",
}
# code: (name, estate code, street, flats, has a lift)
BLOCKS = {
    "BLK-KES": ("Kestrel House", "EST-LAR", "Larkspur Road", 96, True),
    "BLK-HER": ("Heron House", "EST-LAR", "Larkspur Road", 72, True),
    "BLK-SWI": ("Swift House", "EST-LAR", "Larkspur Road", 48, False),
    "BLK-WRE": ("Wren Court", "EST-LAR", "Finch Walk", 36, False),
    "BLK-OAK": ("Oak Tower", "EST-MER", "Meridian Way", 120, True),
    "BLK-ASH": ("Ash Tower", "EST-MER", "Meridian Way", 120, True),
    "BLK-ROW": ("Rowan Court", "EST-MER", "Hazel Grove", 40, False),
    "BLK-MIL": ("Millstone House", "EST-MIL", "Wheelwright Lane", 80, True),
    "BLK-WEI": ("Weir Court", "EST-MIL", "Wheelwright Lane", 44, False),
    "BLK-SLU": ("Sluice House", "EST-MIL", "Tanners Row", 60, True),
    "BLK-STA": ("Station Court", None, "Platform Street", 30, False),
}
# street: number of houses
STREETS = {
    "Orchard Lane": 90,
    "Quince Avenue": 84,
    "Bramble Close": 40,
    "Cobnut Road": 110,
    "Damson Street": 96,
    "Elderflower Way": 72,
    "Foxglove Crescent": 64,
    "Greengage Road": 88,
    "Hawthorn Terrace": 56,
    "Juniper Gardens": 48,
    "Lavender Hill": 70,
    "Medlar Street": 62,
    "Nettlebed Road": 80,
    "Pippin Row": 120,
    "Sorrel Street": 80,
    "Teasel Close": 60,
}
FIRST_NAMES = (
    "Amara", "Ben", "Chloe", "Dev", "Elif", "Femi", "Grace", "Hamza", "Isla", "Jonah", "Kemi", "Liam", "Maya",
    "Nell", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tess", "Uma", "Viktor", "Wen", "Yusuf", "Zara",
)  # fmt: skip
LAST_NAMES = (
    "Ashdown", "Birchall", "Carver", "Dunmore", "Ellery", "Fenwick", "Garside", "Holloway", "Ingram",
    "Jessop",
    "Kettering", "Lockhart", "Marlow", "Norbury", "Oakes", "Pendle", "Quarry", "Rathbone", "Sallow",
    "Thistlewood", "Upton", "Varley", "Whitlock", "Yardley",
)  # fmt: skip
ALERT_TEXT = {
    AlertKind.CAUTIONARY: "Speak to the housing officer before any visit.",
    AlertKind.VISIT_IN_PAIRS: "Staff must visit in pairs.",
    AlertKind.VULNERABILITY: "Resident may need extra time to answer the door.",
    AlertKind.ACCESS: "Call 30 minutes before arriving.",
}


@dataclass
class DemoCouncil:
    """The whole demo, built in memory first so the database work is a few bulk operations."""

    homes: list[Property] = field(default_factory=list)
    postcodes: dict[str, str] = field(default_factory=dict)  # postcode: what is there


@dataclass
class SeedSummary:
    created: dict[str, int] = field(default_factory=dict)
    postcodes: dict[str, str] = field(default_factory=dict)


def _postcodes() -> Iterator[str]:
    for district in range(1, 5):
        for sector in range(1, 10):
            for first in INCODE_LETTERS:
                for second in INCODE_LETTERS:
                    yield f"AA{district} {sector}{first}{second}"


@transaction.atomic
def seed_demo_council() -> SeedSummary:
    """Create whatever part of the demo council is missing and report what was created."""
    rng = random.Random(SEED)
    summary = SeedSummary()
    postcodes = _postcodes()

    estates = {code: Estate(code=code, name=name) for code, name in ESTATES.items()}
    summary.created["estates"] = _create_missing(Estate, estates, "code")
    estate_ids = dict(Estate.objects.filter(code__in=ESTATES).values_list("code", "pk"))

    blocks: dict[str, Block] = {}
    homes: dict[str, Property] = {}
    block_of: dict[str, str] = {}  # property_ref: block code
    number = 0
    for code, (name, estate_code, street, flats, lift) in BLOCKS.items():
        postcode = next(postcodes)
        blocks[code] = Block(
            code=code,
            name=name,
            estate_id=estate_ids.get(estate_code),
            address_line_1=name,
            address_line_2=street,
            town=TOWN,
            postcode=postcode,
        )
        shared = "lift, stairwell" if lift else "stairwell"
        summary.postcodes[postcode] = f"{name}, {street}: {flats} flats; {shared}, bin store and more"
        for flat in range(1, flats + 1):
            number += 1
            homes[_ref(number)] = _home(number, rng, f"Flat {flat}", name, street, postcode)
            block_of[_ref(number)] = code
    for street, count in STREETS.items():
        postcode = ""
        for house in range(1, count + 1):
            if (house - 1) % HOUSES_PER_POSTCODE == 0:
                postcode = next(postcodes)
                last = min(count, house + HOUSES_PER_POSTCODE - 1)
                summary.postcodes.setdefault(postcode, f"{street}: houses {house} to {last}")
            number += 1
            homes[_ref(number)] = _home(number, rng, f"{house} {street}", "", "", postcode)
    for block in blocks.values():
        block.refresh_address_keys()
    summary.created["blocks"] = _create_missing(Block, blocks, "code")
    block_ids = dict(Block.objects.filter(code__in=BLOCKS).values_list("code", "pk"))
    for ref, home in homes.items():
        home.block_id = block_ids.get(block_of.get(ref))
        home.refresh_address_keys()
    summary.created["homes"] = _create_missing(Property, homes, "property_ref")
    home_ids = dict(Property.objects.filter(property_ref__in=homes).values_list("property_ref", "pk"))

    areas = _communal_areas(block_ids, estate_ids)
    existing_areas = set(CommunalArea.objects.values_list("block_id", "estate_id", "name"))
    missing_areas = [
        area for area in areas if (area.block_id, area.estate_id, area.name) not in existing_areas
    ]
    CommunalArea.objects.bulk_create(missing_areas)
    summary.created["communal areas"] = len(missing_areas)

    summary.created.update(_people_and_alerts(rng, homes, home_ids))
    summary.created["asbestos records"] = _asbestos(rng, homes, home_ids, block_ids)
    return summary


def _ref(number: int) -> str:
    return f"DEMO{number:06d}"


def _home(
    number: int, rng: random.Random, line_1: str, line_2: str, line_3: str, postcode: str, block_code=None
):
    roll = rng.random()
    tenure = (
        Tenure.LEASEHOLD
        if roll < 0.10
        else Tenure.SHARED_OWNERSHIP
        if roll < 0.13
        else Tenure.VOID
        if roll < 0.15
        else Tenure.INTRODUCTORY
        if roll < 0.20
        else Tenure.TEMPORARY
        if roll < 0.25
        else Tenure.SECURE
    )
    return Property(
        property_ref=_ref(number),
        uprn=UPRN_BASE + number,
        address_line_1=line_1,
        address_line_2=line_2,
        address_line_3=line_3,
        town=TOWN,
        postcode=postcode,
        tenure=tenure,
        council_repairs=tenure not in {Tenure.LEASEHOLD, Tenure.SHARED_OWNERSHIP},
    )


def _create_missing(model, wanted: dict, key: str) -> int:
    existing = set(model.objects.filter(**{f"{key}__in": list(wanted)}).values_list(key, flat=True))
    missing = [obj for value, obj in wanted.items() if value not in existing]
    model.objects.bulk_create(missing, batch_size=500)
    return len(missing)


def _communal_areas(block_ids: dict[str, int], estate_ids: dict[str, int]) -> list[CommunalArea]:
    areas = []
    for code, (_name, _estate, _street, _flats, lift) in BLOCKS.items():
        kinds = [
            ("Stairwell", CommunalAreaKind.STAIRWELL),
            ("Main entrance door entry", CommunalAreaKind.DOOR_ENTRY),
            ("Bin store", CommunalAreaKind.BIN_STORE),
            ("Communal lighting", CommunalAreaKind.LIGHTING),
            ("Corridors and landings", CommunalAreaKind.CORRIDOR),
        ]
        if lift:
            kinds.insert(1, ("Lift", CommunalAreaKind.LIFT))
        areas += [CommunalArea(name=name, kind=kind, block_id=block_ids[code]) for name, kind in kinds]
    for code in ESTATES:
        for name, kind in (
            ("Car park", CommunalAreaKind.CAR_PARK),
            ("Grounds and paths", CommunalAreaKind.GROUNDS),
            ("Estate lighting", CommunalAreaKind.LIGHTING),
        ):
            areas.append(CommunalArea(name=name, kind=kind, estate_id=estate_ids[code]))
    return areas


def _people_and_alerts(
    rng: random.Random, homes: dict[str, Property], home_ids: dict[str, int]
) -> dict[str, int]:
    tenancies, contacts_for, alerts = {}, {}, []
    today = datetime.date(2026, 1, 1)
    for ref, home in homes.items():
        if home.tenure in {Tenure.VOID}:
            continue
        tenancy_ref = f"TDEMO{ref[4:]}"
        start = today - datetime.timedelta(days=rng.randint(30, 20 * 365))
        tenancies[tenancy_ref] = Tenancy(property_id=home_ids[ref], tenancy_ref=tenancy_ref, start_date=start)
        people = []
        for lead in (True, False)[: rng.choice((1, 1, 1, 2))]:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            people.append(
                {
                    "name": f"{first} {last}",
                    "phone": f"07700 900{rng.randint(0, 999):03d}",
                    "email": f"{first}.{last}@example.com".lower() if rng.random() < 0.7 else "",
                    "is_lead": lead,
                }
            )
        contacts_for[tenancy_ref] = people
        roll = rng.random()
        kind = (
            AlertKind.CAUTIONARY
            if roll < 0.02
            else AlertKind.VISIT_IN_PAIRS
            if roll < 0.03
            else AlertKind.VULNERABILITY
            if roll < 0.07
            else AlertKind.ACCESS
            if roll < 0.08
            else None
        )
        if kind:
            alerts.append(
                Alert(property_id=home_ids[ref], kind=kind, description=ALERT_TEXT[kind], start_date=start)
            )
    created = {"tenancies": _create_missing(Tenancy, tenancies, "tenancy_ref")}
    tenancy_ids = dict(Tenancy.objects.filter(tenancy_ref__in=tenancies).values_list("tenancy_ref", "pk"))
    with_contacts = set(Contact.objects.values_list("tenancy_id", flat=True))
    contacts = [
        Contact(tenancy_id=tenancy_ids[ref], **person)
        for ref, people in contacts_for.items()
        if tenancy_ids[ref] not in with_contacts
        for person in people
    ]
    Contact.objects.bulk_create(contacts, batch_size=500)
    created["contacts"] = len(contacts)
    existing_alerts = set(Alert.objects.values_list("property_id", "kind"))
    missing = [alert for alert in alerts if (alert.property_id, alert.kind) not in existing_alerts]
    Alert.objects.bulk_create(missing)
    created["alerts"] = len(missing)
    return created


def _asbestos(rng: random.Random, homes: dict[str, Property], home_ids: dict[str, int], block_ids) -> int:
    records = []
    surveyed = datetime.date(2024, 6, 1)
    for ref in homes:
        if rng.random() < 0.08:
            location, material, risk = rng.choice(
                (
                    ("Living room ceiling", "Textured coating", AsbestosRisk.LOW),
                    ("Kitchen floor", "Vinyl floor tiles", AsbestosRisk.LOW),
                    ("Airing cupboard", "Insulating board", AsbestosRisk.MEDIUM),
                    ("Bathroom boxing", "Cement sheet", AsbestosRisk.LOW),
                )
            )
            records.append(
                AsbestosRecord(
                    property_id=home_ids[ref],
                    location=location,
                    material=material,
                    risk=risk,
                    surveyed_on=surveyed,
                )
            )
    risers = CommunalArea.objects.filter(block_id__in=block_ids.values(), kind=CommunalAreaKind.STAIRWELL)
    for area in risers.order_by("block__code"):
        records.append(
            AsbestosRecord(
                communal_area=area,
                location="Riser cupboard, ground floor",
                material="Insulating board",
                risk=AsbestosRisk.MEDIUM,
                surveyed_on=surveyed,
            )
        )
    existing = set(AsbestosRecord.objects.values_list("property_id", "communal_area_id", "location"))
    missing = [r for r in records if (r.property_id, r.communal_area_id, r.location) not in existing]
    AsbestosRecord.objects.bulk_create(missing, batch_size=500)
    return len(missing)
