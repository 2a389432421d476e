"""DRS golden files: the requests our zeep client sends, element by element, and answers in the shapes
councils have published, read back through zeep.

Request goldens (`drs_<operation>_request.xml`) are what the adapter sends for one fixed job; compare
them with a request captured from a council's DRS before going live. Rewrite them after a deliberate
change with `DRS_WRITE_GOLDEN=1` and read the diff. Response goldens (`drs_<operation>_response.xml`)
follow the vendor's captures (extra elements, decimal quantities, a location missing a "required"
name, the informational errorMsg); a test serves them over HTTP and reads them with the adapter.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from lxml import etree
from werkzeug import Request, Response

from scheduling.adapters import adapter_for
from scheduling.adapters.drs import forget_sessions
from scheduling.port import LONDON, Booking, BookingStatus, JobSpec, Slot, SorLine, UpdateKind, Window
from tests.scheduling.fakes.drs import SOAP_ENV, schema

GOLDEN = Path(__file__).parent / "golden"
REQUESTS = [
    "openSession",
    "checkAvailability",
    "selectOrder",
    "createOrder",
    "scheduleBooking",
    "updateBooking",
    "deleteOrder",
    "closeSession",
]

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
MONDAY = datetime.datetime(2027, 6, 7, tzinfo=LONDON)
SLOT = Slot(MONDAY.replace(hour=8), MONDAY.replace(hour=12))


def flatten(element) -> list[tuple[str, str]]:
    """Each element as (path, text), in document order; whitespace and comments ignored."""
    tree = element.getroottree()
    return [
        (tree.getelementpath(node), (node.text or "").strip())
        for node in element.iter()
        if isinstance(node.tag, str)
    ]


@pytest.fixture(scope="module")
def sent_requests(make_httpserver) -> dict[str, etree._Element]:
    """The first request of each operation in one journey: slots, book, complete, cancel, close."""
    from scheduling.models import SchedulerConnection, SchedulerKind
    from tests.scheduling.fakes.drs import FakeDrs

    forget_sessions()
    fake = FakeDrs()
    server = make_httpserver  # the session's server: this fixture outlives one test
    server.expect_request("/golden/soap", method="POST").respond_with_handler(fake.handle)
    connection = SchedulerConnection(
        name="DRS",
        kind=SchedulerKind.DRS,
        endpoint_url=server.url_for("/golden/soap"),
        username=fake.login,
        password=fake.password,
        contract="H01",
    )
    drs = adapter_for(connection)
    drs.slots_between(JOB, Window(MONDAY, MONDAY + datetime.timedelta(days=7)))
    booked = drs.book(JOB, SLOT)
    drs.complete(JOB, booked)
    drs.cancel(JOB, booked)
    drs.close()
    forget_sessions()
    assert fake.invalid == []
    sent = {}
    for name, operation in fake.calls:
        sent.setdefault(name, etree.fromstring(etree.tostring(operation)))
    return sent


@pytest.mark.parametrize("operation", REQUESTS)
def test_drs_request_matches_the_golden_file(sent_requests, operation):
    sent = sent_requests[operation]
    path = GOLDEN / f"drs_{operation}_request.xml"
    if os.environ.get("DRS_WRITE_GOLDEN"):
        etree.indent(sent, space="  ")
        path.write_bytes(etree.tostring(sent, encoding="UTF-8", xml_declaration=True) + b"\n")
    golden = etree.parse(str(path)).getroot()
    assert flatten(sent) == flatten(golden)
    schema().validate(etree.tostring(golden).decode())  # the golden itself fits the published schema


# --- answers in the published shapes ------------------------------------------------------------


class GoldenGateway:
    """Answers each operation with its golden response; checks each request against the schema."""

    def __init__(self) -> None:
        self.overrides: dict[str, str] = {}
        self.seen: list[str] = []

    def handle(self, request: Request) -> Response:
        operation = etree.fromstring(request.get_data()).find(f"{{{SOAP_ENV}}}Body")[0]
        schema().validate(etree.tostring(operation).decode())
        name = etree.QName(operation).localname
        self.seen.append(name)
        path = GOLDEN / self.overrides.get(name, f"drs_{name}_response.xml")
        return Response(path.read_bytes(), content_type="text/xml; charset=utf-8")


@pytest.fixture
def golden_drs(httpserver):
    from scheduling.models import SchedulerConnection, SchedulerKind

    forget_sessions()
    gateway = GoldenGateway()
    httpserver.expect_request("/golden/answers", method="POST").respond_with_handler(gateway.handle)
    connection = SchedulerConnection(
        name="DRS golden",
        kind=SchedulerKind.DRS,
        endpoint_url=httpserver.url_for("/golden/answers"),
        username="drs-user",
        password="drs-password",
        contract="H01",
    )
    yield adapter_for(connection), gateway
    forget_sessions()


def test_opensession_answer_gives_the_session(golden_drs):
    drs, _ = golden_drs
    assert drs.health().ok
    assert drs._session() == "4f1e2d3c4b5a69788796a5b4c3d2e1f0"


def test_checkavailability_answer_reads_as_free_london_slots(golden_drs):
    drs, _ = golden_drs
    slots = drs.slots_between(JOB, Window(MONDAY, MONDAY + datetime.timedelta(days=7)))
    assert len(slots) == 19  # 4 a day Monday to Friday, less Friday's taken afternoon
    friday = datetime.date(2027, 6, 11)
    assert (
        datetime.datetime(2027, 6, 11, 12, tzinfo=LONDON),
        datetime.datetime(2027, 6, 11, 16, tzinfo=LONDON),
    ) not in {(s.start, s.end) for s in slots}
    assert all(s.start.tzinfo == LONDON and s.start.date() <= friday for s in slots)
    assert any(s.start.hour == 9 and s.start.minute == 30 and s.provider_data["best"] for s in slots)


def test_createorder_answer_gives_the_order_and_booking_ids(golden_drs):
    drs, _ = golden_drs
    assert drs._create(JOB, SLOT) == (290640, 149996)
    order = drs._call("createOrder", theOrder=drs._order(JOB, target=SLOT.end)).theOrder
    assert order.theBookings[0].theBookingCodes[0].quantity == "1.0"
    assert order.theLocation.name is None  # published answers leave out "required" elements


def test_schedulebooking_answer_books_the_slot(golden_drs):
    drs, _ = golden_drs
    booking = drs._schedule(JOB, 290640, 149996, SLOT)
    assert booking.status == BookingStatus.BOOKED
    assert (booking.external_ref, booking.booking_ref) == ("290640", "149996")


def test_selectorder_answer_reads_as_the_booked_visit(golden_drs):
    drs, _ = golden_drs
    fetched = drs.fetch(JOB, Booking("RO-42", BookingStatus.BOOKED))
    assert fetched.status == BookingStatus.BOOKED
    assert (fetched.slot.start, fetched.slot.end) == (SLOT.start, SLOT.end)
    assert (fetched.external_ref, fetched.booking_ref) == ("290640", "149996")
    assert fetched.operative == "Pat Plumber"


def test_updatebooking_answer_completes(golden_drs):
    drs, gateway = golden_drs
    drs.complete(JOB, Booking("RO-42", BookingStatus.BOOKED, external_ref="290640", booking_ref="149996"))
    assert gateway.seen[-1] == "updateBooking"


def test_deleteorder_answers_read_as_cancelled_or_not_found(golden_drs):
    drs, gateway = golden_drs
    booking = Booking("RO-42", BookingStatus.BOOKED, external_ref="290640", booking_ref="149996")
    assert drs.cancel(JOB, booking).status == BookingStatus.CANCELLED
    gateway.overrides["deleteOrder"] = "drs_deleteOrder_no_order_response.xml"
    assert drs.cancel(JOB, booking).status == BookingStatus.NOT_FOUND


def test_closesession_answer_is_read(golden_drs):
    drs, gateway = golden_drs
    drs.health()
    drs.close()
    assert gateway.seen == ["openSession", "closeSession"]


def test_the_booking_confirmation_push_reads_as_a_moved_visit(golden_drs):
    drs, _ = golden_drs
    (update,) = drs.parse_inbound((GOLDEN / "drs_bookingConfirmation.xml").read_bytes(), "text/xml")
    assert update.kind == UpdateKind.CONFIRMED
    assert (update.job_reference, update.external_ref) == ("RO-42", "290640")
    assert update.slot.start == datetime.datetime(2027, 6, 9, 12, tzinfo=LONDON)
    assert update.slot.end == datetime.datetime(2027, 6, 9, 16, tzinfo=LONDON)
