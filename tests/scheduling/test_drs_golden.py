"""The DRS requests our client sends, element by element, against golden files kept for comparison
with requests captured from a council's live DRS."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from lxml import etree

from scheduling.adapters import adapter_for
from scheduling.port import LONDON, JobSpec, Slot, SorLine

GOLDEN = Path(__file__).parent / "golden"

JOB = JobSpec(
    reference="RO-42",
    trade="PL",
    size="S",
    priority="RO",
    target_date=datetime.date(2027, 6, 18),
    location_id="00012345",
    address="1 Test Street, Demoton",
    postcode="AA1 1AB",
    sor_lines=(SorLine("PL-S", 1, 60, "Repair a tap"),),
    description="Kitchen tap drips",
    contact_name="Sam Resident",
    contact_phone="07700900123",
    access_notes="Dog in the garden",
)
SLOT = Slot(datetime.datetime(2027, 6, 7, 8, tzinfo=LONDON), datetime.datetime(2027, 6, 7, 12, tzinfo=LONDON))


def flatten(element) -> list[tuple[str, str]]:
    """Each element as (path, text), namespaces included, whitespace and comments ignored."""
    tree = element.getroottree()
    return [
        (tree.getelementpath(node), (node.text or "").strip())
        for node in element.iter()
        if isinstance(node.tag, str)
    ]


@pytest.mark.parametrize("operation", ["createOrder", "scheduleBooking"])
def test_drs_request_matches_the_golden_file(drs_connection, fake_drs, operation):
    adapter_for(drs_connection).book(JOB, SLOT)
    sent = etree.fromstring(etree.tostring(fake_drs.calls_to(operation)[0]))
    golden = etree.parse(str(GOLDEN / f"drs_{operation}.xml")).getroot()
    assert flatten(sent) == flatten(golden)
