"""What is particular to Kirona DRS, driven through zeep against a strict fake of its gateway.

The fake validates every request against the published schema (an unknown element, one out of
order or a missing required one faults "Unmarshalling Error", as CXF does), keeps sessions, orders
and bookings, and answers in the real element order. Nothing here depends on DRS's refusal wording.
"""

from __future__ import annotations

import datetime

import pytest
import requests
from lxml import etree

from scheduling.adapters import adapter_for
from scheduling.adapters.drs import WSDL, DrsRefusal, parse_booking_confirmation
from scheduling.port import (
    LONDON,
    Booking,
    BookingStatus,
    JobSpec,
    SchedulerError,
    Slot,
    SlotUnavailable,
    UpdateKind,
    Window,
)
from tests.scheduling.fakes.drs import LIMITED, booking_confirmation, schema

JOB = JobSpec(
    reference="RO-1",
    trade="PL",
    size="S",
    priority="RO",
    location_id="00000001",
    address="1 Test Street, Demoton",
    postcode="AA1 1AB",
    description="Tap " * 200,
    contact_name="Sam Resident",
    contact_phone="07700900123",
    access_notes="Dog in the garden",
)
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"


@pytest.fixture
def drs(drs_connection):
    return adapter_for(drs_connection)


def summer_monday() -> datetime.datetime:
    """A Monday in British Summer Time next year, when London is UTC+1."""
    june = datetime.date(datetime.date.today().year + 1, 6, 1)
    return datetime.datetime.combine(
        june + datetime.timedelta(days=-june.weekday() % 7), datetime.time(), LONDON
    )


def morning(day: datetime.datetime, days: int = 0) -> Slot:
    start = (day + datetime.timedelta(days=days)).replace(hour=8)
    return Slot(start, start.replace(hour=12))


def names(fake, operation: str) -> list[str]:
    return [name for name, _ in fake.calls if name == operation]


# --- the journey: slots, book, move, read back, complete, cancel ----------------------------------


def test_slots_book_reschedule_fetch_complete_and_cancel(drs, fake_drs):
    start = summer_monday()
    slots = drs.slots_between(JOB, Window(start, start + datetime.timedelta(days=7)))
    assert len(slots) == 10  # two a weekday
    booked = drs.book(JOB, slots[0])
    order = fake_drs.orders["RO-1"]
    assert (booked.external_ref, booked.booking_ref) == (str(order.order_id), str(order.booking_id))
    assert order.window == (slots[0].start, slots[0].end)

    moved = drs.reschedule(JOB, booked, slots[3])
    assert order.window == (slots[3].start, slots[3].end)  # resubmitting scheduleBooking moved it
    assert len(fake_drs.orders) == 1

    fetched = drs.fetch(JOB, moved)
    assert fetched.status == BookingStatus.BOOKED
    assert (fetched.slot.start, fetched.slot.end) == (slots[3].start, slots[3].end)
    assert fetched.operative == "Pat Plumber"

    drs.complete(JOB, fetched)
    assert order.completed

    assert drs.cancel(JOB, fetched).status == BookingStatus.CANCELLED
    assert "RO-1" not in fake_drs.orders
    assert drs.fetch(JOB, fetched).status == BookingStatus.NOT_FOUND


def test_booking_the_same_job_twice_makes_one_order(drs, fake_drs):
    slot = morning(summer_monday())
    first = drs.book(JOB, slot)
    second = drs.book(JOB, slot)
    assert (second.external_ref, second.booking_ref) == (first.external_ref, first.booking_ref)
    assert len(names(fake_drs, "createOrder")) == 1
    assert len(names(fake_drs, "scheduleBooking")) == 1  # already there: nothing to move


def test_booking_the_same_job_again_in_another_slot_moves_it(drs, fake_drs):
    drs.book(JOB, morning(summer_monday()))
    later = morning(summer_monday(), days=2)
    drs.book(JOB, later)
    assert fake_drs.orders["RO-1"].window == (later.start, later.end)
    assert len(names(fake_drs, "createOrder")) == 1


def test_a_slot_someone_else_took_is_slot_unavailable(drs, fake_drs):
    slot = morning(summer_monday())
    drs.book(JOB, slot)
    other = JobSpec(reference="RO-2", trade="PL", location_id="00000002", priority="RO")
    with pytest.raises(SlotUnavailable) as raised:
        drs.book(other, slot)
    assert raised.value.retryable is False


def test_cancelling_an_order_drs_never_had_is_not_found(drs, fake_drs):
    unknown = Booking("RO-1", BookingStatus.BOOKED, external_ref="424242", booking_ref="424243")
    assert drs.cancel(JOB, unknown).status == BookingStatus.NOT_FOUND


def test_completion_sends_updatebooking_as_hackney_does(drs, fake_drs):
    booked = drs.book(JOB, morning(summer_monday()))
    drs.complete(JOB, booked)
    (command,) = [op[0] for op in fake_drs.calls_to("updateBooking")]
    assert command.findtext("completeOrder") == "true"
    assert command.findtext("transactionType") == "COMPLETED"
    assert command.findtext("resourceId") == "PAT.PLUMBER"
    assert command.findtext("startDateAndTime").endswith("T08:00:00+01:00")
    assert command.find("userId") is None  # xmbUpdateBooking has no userId
    assert command.findtext("theBooking/bookingLifeCycleStatus") == "COMPLETED"
    assert command.findtext("theBooking/theOrder/status") == "COMPLETED"


def test_completing_a_job_drs_does_not_hold_is_a_clear_error(drs, fake_drs):
    with pytest.raises(SchedulerError) as raised:
        drs.complete(JOB, Booking("RO-1", BookingStatus.BOOKED, external_ref="1", booking_ref="2"))
    assert raised.value.retryable is False
    assert "RO-1" in raised.value.message


# --- what we send -----------------------------------------------------------------------------------


def test_checkavailability_never_sends_the_residents_contact_details(drs, fake_drs):
    start = summer_monday()
    drs.slots_between(JOB, Window(start, start + datetime.timedelta(days=7)))
    (request,) = fake_drs.calls_to("checkAvailability")
    text = etree.tostring(request).decode()
    for private in ("Sam Resident", "07700900123", "Dog in the garden", "Tap Tap"):
        assert private not in text
    order = request.find("checkAvailability/theOrder")
    assert order.find("contactName") is None and order.find("phone") is None
    assert order.find("orderCommentsExtended") is None and order.find("theLocation/citizensName") is None


def test_createorder_carries_the_contact_details_and_a_target_date(drs, fake_drs):
    drs.book(JOB, morning(summer_monday()))
    (request,) = fake_drs.calls_to("createOrder")
    order = request.find("createOrder/theOrder")
    assert order.findtext("contactName") == "Sam Resident"
    assert order.findtext("phone") == "07700900123"
    assert order.findtext("targetDate")  # required by the gateway
    assert len(order.findtext("orderComments")) <= 250


def test_checkavailability_never_asks_for_more_than_seven_days(drs, fake_drs):
    start = summer_monday()
    slots = drs.slots_between(JOB, Window(start, start + datetime.timedelta(days=17)))
    assert len(fake_drs.periods) == 3
    assert all(period <= datetime.timedelta(days=7) for period in fake_drs.periods)
    assert max(slot.end for slot in slots) <= start + datetime.timedelta(days=17)


def test_times_travel_as_london_time_with_its_offset(drs, fake_drs):
    slot = morning(summer_monday())
    drs.book(JOB, slot)
    sent = fake_drs.calls_to("scheduleBooking")[0].findtext("scheduleBooking/theBooking/planningWindowStart")
    assert sent == f"{slot.start.date().isoformat()}T08:00:00+01:00"


def test_slots_read_back_are_london_times(drs):
    start = summer_monday()
    slot = drs.slots_between(JOB, Window(start, start + datetime.timedelta(days=1)))[0]
    assert slot.start.tzinfo == LONDON and slot.start.hour == 8
    assert slot.start.utcoffset() == datetime.timedelta(hours=1)


# --- sessions and failures --------------------------------------------------------------------------


def test_one_session_serves_many_calls_and_adapters(drs_connection, fake_drs):
    start = summer_monday()
    for _ in range(3):
        adapter_for(drs_connection).slots_between(JOB, Window(start, start + datetime.timedelta(days=1)))
    assert len(names(fake_drs, "openSession")) == 1


def test_an_expired_session_is_opened_again_once_and_the_call_succeeds(drs, fake_drs):
    start = summer_monday()
    window = Window(start, start + datetime.timedelta(days=1))
    drs.slots_between(JOB, window)
    fake_drs.expire_sessions()
    assert drs.slots_between(JOB, window)
    assert len(names(fake_drs, "openSession")) == 2
    assert len(names(fake_drs, "checkAvailability")) == 3  # refused once, then answered


def test_a_wrong_password_is_a_clear_error_not_to_retry(drs_connection, fake_drs):
    drs_connection.password = "wrong"
    adapter = adapter_for(drs_connection)
    with pytest.raises(SchedulerError) as raised:
        adapter.book(JOB, morning(summer_monday()))
    assert raised.value.retryable is False
    assert "refused the login 'drs-user'" in raised.value.message
    assert "password" in raised.value.message
    assert names(fake_drs, "openSession") == ["openSession"]  # asked once, not hammered
    assert adapter.health().ok is False


def test_a_missing_login_is_refused_before_calling_drs(drs_connection, fake_drs):
    drs_connection.username = ""
    with pytest.raises(SchedulerError) as raised:
        adapter_for(drs_connection).fetch(JOB, Booking("RO-1", BookingStatus.BOOKED))
    assert raised.value.retryable is False
    assert fake_drs.calls == []


def test_a_business_refusal_is_not_retryable(drs, fake_drs):
    fake_drs.refuse["createOrder"] = "Error in Order.create. Unknown location 00000001"
    with pytest.raises(DrsRefusal) as raised:
        drs.book(JOB, morning(summer_monday()))
    assert raised.value.retryable is False
    assert "Unknown location 00000001" in raised.value.message
    assert len(names(fake_drs, "createOrder")) == 2  # once more in a fresh session, in case it had lapsed


def test_a_client_fault_is_not_retryable_and_a_server_fault_is(drs, fake_drs):
    window = Window(summer_monday(), summer_monday() + datetime.timedelta(days=1))
    fake_drs.fault = "client"
    with pytest.raises(SchedulerError) as client:
        drs.slots_between(JOB, window)
    fake_drs.fault = "server"
    with pytest.raises(SchedulerError) as server:
        drs.slots_between(JOB, window)
    assert client.value.retryable is False
    assert server.value.retryable is True


def test_a_gateway_that_cannot_be_reached_is_retryable(drs_connection, fake_drs):
    drs_connection.endpoint_url = "http://127.0.0.1:9/ws/soap"  # nothing listens on the discard port
    with pytest.raises(SchedulerError) as raised:
        adapter_for(drs_connection).fetch(JOB, Booking("RO-1", BookingStatus.BOOKED))
    assert raised.value.retryable is True


def test_a_slow_gateway_is_a_retryable_timeout(drs_connection, fake_drs):
    drs_connection.timeout_seconds = 1
    fake_drs.delay = 1.5
    with pytest.raises(SchedulerError) as raised:
        adapter_for(drs_connection).slots_between(
            JOB, Window(summer_monday(), summer_monday() + datetime.timedelta(days=1))
        )
    assert raised.value.retryable is True


def test_closing_ends_the_session(drs, fake_drs):
    assert drs.health().ok
    assert len(fake_drs.sessions) == 1
    drs.close()
    assert fake_drs.sessions == set()
    assert names(fake_drs, "closeSession") == ["closeSession"]


# --- the gateway's strictness, and the council's own WSDL -------------------------------------------


def post(url: str, operation: str, command: str) -> requests.Response:
    envelope = (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}" xmlns:aut="http://autogenerated.OTWebServiceApi.xmbrace.com/">'
        f"<soapenv:Body><aut:{operation}><{operation}>{command}</{operation}></aut:{operation}>"
        "</soapenv:Body></soapenv:Envelope>"
    )
    return requests.post(url, data=envelope.encode(), headers={"Content-Type": "text/xml"}, timeout=5)


@pytest.mark.parametrize(
    "command",
    [
        "<id>0</id><login>drs-user</login><password>drs-password</password><userId>x</userId>",  # unknown
        "<id>0</id><password>drs-password</password><login>drs-user</login>",  # out of order
        "<id>0</id><login>drs-user</login>",  # missing password
    ],
    ids=["unknown element", "wrong order", "missing required"],
)
def test_the_fake_faults_like_cxf_on_a_request_that_breaks_the_schema(drs_connection, fake_drs, command):
    response = post(drs_connection.endpoint_url, "openSession", command)
    assert response.status_code == 500
    fault = etree.fromstring(response.content).find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
    assert fault.findtext("faultcode").endswith("Client")
    assert fault.findtext("faultstring").startswith("Unmarshalling Error: ")
    fake_drs.invalid.clear()  # expected here; the fixture fails any test that leaves one


def test_answers_begin_id_then_status_as_the_real_gateway(drs_connection, fake_drs):
    response = post(
        drs_connection.endpoint_url,
        "openSession",
        "<id>0</id><login>drs-user</login><password>drs-password</password>",
    )
    returned = etree.fromstring(response.content).find(f"{{{SOAP_ENV}}}Body")[0].find("return")
    assert [child.tag for child in returned] == ["id", "status", "sessionId"]


def test_a_long_period_is_cut_to_seven_days_with_the_vendors_message(drs_connection, fake_drs, drs):
    session = drs._session()
    start = summer_monday()
    response = post(
        drs_connection.endpoint_url,
        "checkAvailability",
        f"<id>0</id><canSelectOtherOrders>false</canSelectOtherOrders><newBooking>true</newBooking>"
        f"<periodBegin>{start.isoformat()}</periodBegin>"
        f"<periodEnd>{(start + datetime.timedelta(days=14)).isoformat()}</periodEnd>"
        f"<sessionId>{session}</sessionId>",
    )
    returned = etree.fromstring(response.content).find(f"{{{SOAP_ENV}}}Body")[0].find("return")
    assert returned.findtext("errorMsg") == LIMITED
    assert len(returned.findall("theSlots")) == 7


def test_our_wsdl_holds_the_published_facts_we_depend_on():
    """Spot checks of the published contract (the whole WSDL was compared type by type when written)."""
    types = schema().types

    def children(name: str) -> list[str]:
        return [e.local_name for e in types[name].content.iter_elements()]

    assert children("commandResponse") == ["debugStackTrace", "errorMsg", "id", "status"]
    assert "primaryOrderNumber" in children("xmbSelectOrder") and "theOrder" not in children("xmbSelectOrder")
    assert "userId" not in children("xmbUpdateBooking")
    assert children("booking").index("planningWindowEnd") < children("booking").index("planningWindowStart")
    assert types["order"].content.iter_elements().__next__().local_name == "contactName"
    target = next(e for e in types["order"].content.iter_elements() if e.local_name == "targetDate")
    assert target.min_occurs == 1
    quantity = next(e for e in types["bookingCode"].content.iter_elements() if e.local_name == "quantity")
    assert quantity.type.local_name == "string"  # DRS answers "1.0"


def test_a_councils_own_wsdl_is_read_from_its_url(drs_connection, fake_drs, httpserver):
    # A live ?wsdl names its binding its own way; we find the one that offers openSession.
    text = WSDL.read_text().replace("SOAPBinding", "SOAPServiceSoapBinding")
    httpserver.expect_request("/ws/soap", method="GET", query_string="wsdl").respond_with_data(
        text, content_type="text/xml"
    )
    drs_connection.options = {"wsdl_url": httpserver.url_for("/ws/soap") + "?wsdl"}
    adapter = adapter_for(drs_connection)
    start = summer_monday()
    assert adapter.slots_between(JOB, Window(start, start + datetime.timedelta(days=1)))
    assert adapter._get_service()._binding.name.localname == "SOAPServiceSoapBinding"


# --- DRS's push ------------------------------------------------------------------------------------


def test_a_booking_confirmation_reads_as_a_confirmed_visit_in_london_time(drs):
    start = summer_monday().replace(hour=12, tzinfo=None)
    (update,) = drs.parse_inbound(booking_confirmation("RO-5", start, start + datetime.timedelta(hours=4)))
    assert update.kind == UpdateKind.CONFIRMED
    assert update.job_reference == "RO-5"
    assert update.external_ref == "1"
    assert update.slot.start == start.replace(tzinfo=LONDON)
    assert update.note == "Tenant changed"


def test_a_push_without_a_planning_window_is_refused():
    body = (
        booking_confirmation("RO-5", summer_monday(), summer_monday())
        .replace(b"<planningWindowEnd>", b"<ignored>")
        .replace(b"</planningWindowEnd>", b"</ignored>")
    )
    with pytest.raises(SchedulerError):
        parse_booking_confirmation(body)


def test_the_push_is_answered_in_soap(drs):
    body, content_type, status = drs.inbound_response(True, "")
    assert status == 200 and content_type.startswith("text/xml")
    assert etree.fromstring(body).find(f"{{{SOAP_ENV}}}Body")[0].findtext("return/status") == "success"
    body, content_type, status = drs.inbound_response(False, "No job RO-5")
    fault = etree.fromstring(body).find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
    assert status == 500 and fault.findtext("faultstring") == "No job RO-5"
