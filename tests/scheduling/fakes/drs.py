"""A strict fake of the Kirona DRS Web Services Gateway: a werkzeug handler speaking SOAP 1.1.

It behaves as the published contract and captures show the real gateway (CXF/JAXB) does:
- every request is validated against the WSDL's schema (our WSDL's types match the published ones
  element for element): an unknown element, one out of order or a missing required one is a
  `soap:Client` fault reading "Unmarshalling Error: …", before anything else happens;
- `openSession` refuses a wrong login with status `failure`; every other call needs a session it
  issued and not since expired or closed, else it answers status `failure` with an `errorMsg`;
- answers begin `errorMsg?, id, status` and every element comes in schema order, with times carrying
  their offset and quantities as decimals ("1.0"), as in the vendor's captures;
- `checkAvailability` answers at most 7 days from `periodBegin` ("limited to 7 day"), two slots a
  working day (8 to 12 and 12 to 4), a slot taken by another order offered as `NO`;
- `createOrder` makes an order and its booking; `scheduleBooking` places the booking and, resubmitted,
  moves it; `deleteOrder` of an unknown order answers "no order exists" (the text Hackney's client
  accepts); `updateBooking` with `completeOrder` completes the booking and its order.

Knobs for tests: `fault` ("server"/"client": every call faults), `delay` (seconds before answering),
`refuse` (operation → errorMsg: that operation answers status `failure`), `expire_sessions()`.
"""

from __future__ import annotations

import datetime
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import xmlschema
from lxml import etree
from werkzeug import Request, Response

from scheduling.adapters.drs import NAMESPACE, WSDL, soap_fault
from scheduling.port import LONDON

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
LIMITED = "The number of days returned has been limited to 7 day"

_SCHEMA: xmlschema.XMLSchema | None = None


def schema() -> xmlschema.XMLSchema:
    """The XSD inside our WSDL, as xmlschema reads it (parsed once per test run)."""
    global _SCHEMA
    if _SCHEMA is None:
        types = etree.parse(str(WSDL)).find(f"{{{WSDL_NS}}}types/{{{XSD_NS}}}schema")
        _SCHEMA = xmlschema.XMLSchema(etree.tostring(types).decode())
    return _SCHEMA


@dataclass
class Order:
    order_id: int
    booking_id: int
    reference: str
    contract: str
    location: str
    priority: str
    target: datetime.datetime
    codes: list[dict[str, str]]
    address: str = ""
    postcode: str = ""
    window: tuple[datetime.datetime, datetime.datetime] | None = None
    completed: bool = False


@dataclass
class FakeDrs:
    login: str = "drs-user"
    password: str = "drs-password"
    fault: str = ""  # "server" or "client": every call answers a SOAP fault
    delay: float = 0.0
    refuse: dict[str, str] = field(default_factory=dict)  # operation -> errorMsg, answered as failure
    orders: dict[str, Order] = field(default_factory=dict)
    calls: list[tuple[str, etree._Element]] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)  # schema errors in requests we received
    sessions: set[str] = field(default_factory=set)
    periods: list[datetime.timedelta] = field(default_factory=list)  # checkAvailability spans asked
    ids: itertools.count = field(default_factory=lambda: itertools.count(1000))

    # --- HTTP ---------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        if self.delay:
            time.sleep(self.delay)
        try:
            envelope = etree.fromstring(request.get_data())
            operation = envelope.find(f"{{{SOAP_ENV}}}Body")[0]
        except (etree.XMLSyntaxError, TypeError, IndexError):
            return self._xml(soap_fault("Unmarshalling Error: not a SOAP envelope"), 500)
        name = etree.QName(operation).localname
        try:
            schema().validate(etree.tostring(operation).decode())
        except xmlschema.XMLSchemaValidationError as error:
            self.invalid.append(f"{name}: {error.reason}")
            return self._xml(soap_fault(f"Unmarshalling Error: {error.reason}"), 500)
        if len(operation) == 0:
            return self._xml(soap_fault(f"Unmarshalling Error: {name} is empty"), 500)
        self.calls.append((name, operation))
        if self.fault:
            return self._xml(soap_fault("DRS is unavailable", client_side=self.fault == "client"), 500)
        command = operation[0]
        if name != "openSession" and command.findtext("sessionId") not in self.sessions:
            return self._respond(name, {"status": "failure", "errorMsg": "The session is not valid"})
        if name in self.refuse:
            return self._respond(name, {"status": "failure", "errorMsg": self.refuse[name]})
        return self._respond(name, getattr(self, f"_{name}")(command))

    def calls_to(self, name: str) -> list[etree._Element]:
        return [operation for called, operation in self.calls if called == name]

    def expire_sessions(self) -> None:
        """Every session lapses (as at the end of DRS's day)."""
        self.sessions.clear()

    # --- operations ---------------------------------------------------------------------------

    def _openSession(self, command) -> dict:
        if command.findtext("login") != self.login or command.findtext("password") != self.password:
            return {"status": "failure", "errorMsg": "Invalid login or password"}
        session = f"{next(self.ids):032x}"
        self.sessions.add(session)
        return {"status": "success", "sessionId": session}

    def _closeSession(self, command) -> dict:
        self.sessions.discard(command.findtext("sessionId"))
        return {"status": "success"}

    def _checkAvailability(self, command) -> dict:
        begin = _time(command.findtext("periodBegin"))
        end = _time(command.findtext("periodEnd"))
        self.periods.append(end - begin)
        message = None
        if end - begin > datetime.timedelta(days=7):
            end, message = begin + datetime.timedelta(days=7), LIMITED
        days, day = [], begin.date()
        while datetime.datetime.combine(day, datetime.time(), LONDON) < end:
            slots = []
            for starts, ends in ((8, 12), (12, 16)) if day.weekday() < 5 else ():
                slot = (_at(day, starts), _at(day, ends))
                if slot[0] < begin or slot[1] > end:
                    continue
                taken = any(o.window == slot for o in self.orders.values())
                slots.append(
                    {
                        "available": "NO" if taken else "YES",
                        "beginDate": _text(slot[0]),
                        "bestSlot": "false",
                        "endDate": _text(slot[1]),
                    }
                )
            days.append(
                {
                    "day": _text(_at(day, 0)),
                    "nonWorkingDay": "false",
                    "slotsForDay": slots,
                    "weeklyDayOff": "false",
                }
            )
            day += datetime.timedelta(days=1)
        return {"errorMsg": message, "status": "success", "theSlots": days}

    def _createOrder(self, command) -> dict:
        order = command.find("theOrder")
        reference = order.findtext("primaryOrderNumber")
        if reference in self.orders:
            return {"status": "failure", "errorMsg": f"primaryOrderNumber {reference} is in use"}
        created = Order(
            order_id=next(self.ids),
            booking_id=next(self.ids),
            reference=reference,
            contract=order.findtext("contract"),
            location=order.findtext("locationID"),
            priority=order.findtext("priority"),
            target=_time(order.findtext("targetDate")),
            codes=[
                {child.tag: child.text or "" for child in code} for code in order.findall("theBookingCodes")
            ],
            address=order.findtext("theLocation/address1") or "",
            postcode=order.findtext("theLocation/postCode") or "",
        )
        self.orders[reference] = created
        return {"status": "success", "theOrder": self._order(created)}

    def _scheduleBooking(self, command) -> dict:
        booking = command.find("theBooking")
        order = self._by_booking(int(booking.findtext("bookingId")))
        if order is None or order.order_id != int(booking.findtext("orderId")):
            return {"status": "failure", "errorMsg": "Error in Booking.schedule. No such booking"}
        window = (
            _time(booking.findtext("planningWindowStart")),
            _time(booking.findtext("planningWindowEnd")),
        )
        if any(o.window == window and o is not order for o in self.orders.values()):
            return {"status": "failure", "errorMsg": "Error in Booking.schedule. Planning failed"}
        order.window = window  # a resubmitted scheduleBooking moves the booking
        return {"status": "success"}

    def _selectOrder(self, command) -> dict:
        wanted = [element.text for element in command.findall("primaryOrderNumber")]
        found = [self._order(self.orders[ref]) for ref in wanted if ref in self.orders]
        return {"status": "success", "theOrders": found}

    def _deleteOrder(self, command) -> dict:
        reference = command.find("theOrder").findtext("primaryOrderNumber")
        if self.orders.pop(reference, None) is None:
            return {"status": "failure", "errorMsg": f"Delete order failed: no order exists for {reference}"}
        return {"status": "success"}

    def _updateBooking(self, command) -> dict:
        booking = command.find("theBooking")
        order = self._by_booking(int(booking.findtext("bookingId")))
        if order is None:
            return {"status": "failure", "errorMsg": "Error in Booking.update. No such booking"}
        if command.findtext("completeOrder") == "true" and command.findtext("transactionType") == "COMPLETED":
            order.completed = True
        return {"status": "success", "theBooking": self._booking(order)}

    # --- shapes, as the vendor's createOrder capture shows them ---------------------------------

    def _by_booking(self, booking_id: int) -> Order | None:
        return next((o for o in self.orders.values() if o.booking_id == booking_id), None)

    def _order(self, order: Order) -> dict:
        return {
            "contract": order.contract,
            "locationID": order.location,
            "message": "false",
            "orderComments": "",
            "orderId": str(order.order_id),
            "primaryOrderNumber": order.reference,
            "priority": order.priority,
            "status": "COMPLETED" if order.completed else "PLANNED",
            "targetDate": _text(order.target),
            "theBookings": [self._booking(order)],
            "theLocation": {
                "address1": order.address,
                "excludedFromMsging": "false",
                "locationId": order.location,
                "name": order.address,
                "postCode": order.postcode,
                "workflowType": "0000",
            },
            "userId": "repairs-online",
        }

    def _booking(self, order: Order) -> dict:
        start, end = order.window or (datetime.datetime.now(LONDON).replace(microsecond=0), order.target)
        booking: dict[str, Any] = {
            "bookingCategory": "TASK",
            "bookingId": str(order.booking_id),
            "bookingLifeCycleStatus": "COMPLETED" if order.completed else "PLANNED",
            "bookingReason": "FIRST",
            "contract": order.contract,
            "duration": "60",
            "isEmergency": "false",
            "isNextBooking": "false",
            "locationID": order.location,
            "orderId": str(order.order_id),
            "planningWindowEnd": _text(end),
            "planningWindowStart": _text(start),
            "primaryOrderNumber": order.reference,
            "theBookingCodes": [
                {
                    "bookingCodeSORCode": code.get("bookingCodeSORCode", ""),
                    "bookingId": str(order.booking_id),
                    "itemNumberWithinBooking": code.get("itemNumberWithinBooking", "1"),
                    "itemValue": "0.0",
                    "orderId": str(order.order_id),
                    "primaryOrderNumber": order.reference,
                    "quantity": f"{float(code.get('quantity') or 1):.1f}",
                    "standardMinuteValue": code.get("standardMinuteValue", "60"),
                    "trade": code.get("trade", ""),
                }
                for code in order.codes
            ],
            "userId": "repairs-online",
        }
        if order.window:
            booking["assignedEnd"], booking["assignedStart"] = _text(end), _text(start)
            booking["theResources"] = [
                {
                    "bookingId": str(order.booking_id),
                    "externalResourceCode": "OP-17",
                    "isResourceLocked": "false",
                    "lockResource": "false",
                    "orderId": str(order.order_id),
                    "resourceID": "PAT.PLUMBER",
                    "resourceName": "Pat Plumber",
                }
            ]
        return booking

    def _respond(self, name: str, result: dict) -> Response:
        """Write `result` in the schema's element order, then check our own answer against it."""
        root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV})
        body = etree.SubElement(root, f"{{{SOAP_ENV}}}Body")
        wrapper = etree.SubElement(body, f"{{{NAMESPACE}}}{name}Response", nsmap={"ns1": NAMESPACE})
        ret = etree.SubElement(wrapper, "return", nsmap={"ns2": NAMESPACE})
        response_type = schema().types[f"xmb{name[0].upper()}{name[1:]}Response"]
        _build(ret, response_type, {"id": "0", **result})
        schema().validate(etree.tostring(wrapper).decode())
        return self._xml(etree.tostring(root, xml_declaration=True, encoding="UTF-8"), 200)

    @staticmethod
    def _xml(data: bytes, status: int) -> Response:
        return Response(data, status=status, content_type="text/xml; charset=utf-8")


def _build(parent: etree._Element, xsd_type, data: dict) -> None:
    """Append `data` under `parent` in the order `xsd_type` declares its elements; unknown keys fail."""
    known = {e.local_name: e for e in xsd_type.content.iter_elements()}
    unknown = set(data) - set(known)
    assert not unknown, f"the fake answers elements the schema lacks: {unknown}"
    for name, declaration in known.items():
        value = data.get(name)
        for item in value if isinstance(value, list) else [value]:
            if item is None:
                continue
            child = etree.SubElement(parent, name)
            if isinstance(item, dict):
                _build(child, declaration.type, item)
            else:
                child.text = item


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), LONDON)


def _time(text: str) -> datetime.datetime:
    """A request time: with its offset, or London wall-clock when it has none."""
    value = datetime.datetime.fromisoformat(text)
    return value.replace(tzinfo=LONDON) if value.tzinfo is None else value.astimezone(LONDON)


def _text(value: datetime.datetime) -> str:
    """A time as DRS answers it: London, with its offset (2021-10-26T08:00:00+01:00)."""
    return value.astimezone(LONDON).isoformat(timespec="seconds")


def booking_confirmation(
    reference: str, start: datetime.datetime, end: datetime.datetime, order_id: int = 1
) -> bytes:
    """A `bookingConfirmation` push as DRS sends it when a planner books in DRS's own screens
    (the shape of Hackney's DRSConfirmBooking.xml test request; wall-clock times without a zone)."""
    return f"""<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
    xmlns:ns1="http://autogenerated.OTBackgroundService.xmbrace.com/">
  <soapenv:Header/>
  <soapenv:Body>
    <ns1:bookingConfirmation>
      <bookingConfirmation>
        <bookingId>{order_id + 1}</bookingId>
        <bookingReason>Tenant changed</bookingReason>
        <bookingSequence>FIRST</bookingSequence>
        <changedDate>{_wall(start - datetime.timedelta(days=2))}</changedDate>
        <contract>H01</contract>
        <locationID>00000001</locationID>
        <numberOfOperatives>1</numberOfOperatives>
        <originalBookingId>{order_id + 1}</originalBookingId>
        <planningWindowEnd>{_wall(end)}</planningWindowEnd>
        <planningWindowStart>{_wall(start)}</planningWindowStart>
        <primaryOrderNumber>{reference}</primaryOrderNumber>
        <secondaryOrderNumber/>
        <targetDate>{_wall(end + datetime.timedelta(days=7))}</targetDate>
        <tertiaryOrderNumber/>
        <theBookingCodes>
          <bookingId>{order_id + 1}</bookingId>
          <orderId>{order_id}</orderId>
          <bookingCodeSORCode>PL-S</bookingCodeSORCode>
          <primaryOrderNumber>{reference}</primaryOrderNumber>
          <quantity>1</quantity>
          <standardMinuteValue>60</standardMinuteValue>
          <itemNumberWithinBooking>1</itemNumberWithinBooking>
          <itemValue>0</itemValue>
          <trade>PL</trade>
          <bookingCodeDescription>Repair a tap</bookingCodeDescription>
        </theBookingCodes>
        <tokenId>fake-token</tokenId>
        <userId>drs-planner</userId>
      </bookingConfirmation>
    </ns1:bookingConfirmation>
  </soapenv:Body>
</soapenv:Envelope>""".encode()


def _wall(value: datetime.datetime) -> str:
    """London wall-clock without a zone, as DRS's pushes carry times."""
    if value.tzinfo is not None:
        value = value.astimezone(LONDON).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S")
