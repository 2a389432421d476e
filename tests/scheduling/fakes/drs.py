"""A fake Kirona DRS Web Services Gateway: a werkzeug handler that speaks SOAP 1.1 document/literal.

Every request body is validated against the XSD inside our WSDL (xmlschema), so a request our zeep
client builds wrongly fails the test. State is kept in memory: orders, their one booking each, and
which slots are taken (one job per slot, like a single operative's diary). `fault` makes every call
answer a SOAP fault; `delay` makes every call sleep before answering (for timeouts).
"""

from __future__ import annotations

import datetime
import itertools
import time
from dataclasses import dataclass, field

import xmlschema
from lxml import etree
from werkzeug import Request, Response

from scheduling.adapters.drs import NAMESPACE, WSDL, soap_fault

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
XSD_NS = "http://www.w3.org/2001/XMLSchema"


def drs_schema() -> xmlschema.XMLSchema:
    """The XSD embedded in our WSDL, as xmlschema sees it."""
    tree = etree.parse(str(WSDL))
    schema = tree.find(f"{{{WSDL_NS}}}types/{{{XSD_NS}}}schema")
    return xmlschema.XMLSchema(etree.tostring(schema).decode())


SCHEMA = None


def schema() -> xmlschema.XMLSchema:
    global SCHEMA
    if SCHEMA is None:
        SCHEMA = drs_schema()
    return SCHEMA


@dataclass
class Order:
    order_id: int
    booking_id: int
    reference: str
    location: str
    window: tuple[datetime.datetime, datetime.datetime] | None = None
    completed: bool = False


@dataclass
class FakeDrs:
    login: str = "drs-user"
    password: str = "drs-password"
    fault: str = ""  # "server" or "client": every call answers a SOAP fault
    delay: float = 0.0
    orders: dict[str, Order] = field(default_factory=dict)
    calls: list[tuple[str, etree._Element]] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)  # schema errors in requests we received
    sessions: set[str] = field(default_factory=set)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1000))

    # --- HTTP ---------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        if self.delay:
            time.sleep(self.delay)
        envelope = etree.fromstring(request.get_data())
        body = envelope.find(f"{{{SOAP_ENV}}}Body")
        operation = body[0]
        name = etree.QName(operation).localname
        try:
            schema().validate(etree.tostring(operation).decode())
        except xmlschema.XMLSchemaValidationError as error:
            self.invalid.append(f"{name}: {error.reason}")
            return self._xml(soap_fault(f"Unmarshalling error: {error.reason}"), 500)
        self.calls.append((name, operation))
        if self.fault:
            return self._xml(soap_fault("DRS is unavailable", client_side=self.fault == "client"), 500)
        payload = operation[0]
        if name != "openSession" and payload.findtext("sessionId") not in self.sessions:
            return self._respond(name, {"status": "error", "errorMsg": "Invalid session"})
        return self._respond(name, getattr(self, f"_{name}")(payload))

    def calls_to(self, name: str) -> list[etree._Element]:
        return [operation for called, operation in self.calls if called == name]

    # --- operations ---------------------------------------------------------------------------

    def _openSession(self, payload) -> dict:
        if payload.findtext("login") != self.login or payload.findtext("password") != self.password:
            return {"status": "failure", "errorMsg": "Invalid login"}
        session = f"session-{next(self.ids)}"
        self.sessions.add(session)
        return {"status": "success", "sessionId": session}

    def _checkAvailability(self, payload) -> dict:
        begin = _time(payload.findtext("periodBegin"))
        end = _time(payload.findtext("periodEnd"))
        message = ""
        if end - begin > datetime.timedelta(days=7):
            end, message = begin + datetime.timedelta(days=7), "Period truncated to 7 days"
        days = []
        day = begin.date()
        while day <= end.date():
            slots = []
            for starts, ends in ((8, 12), (12, 16)):
                slot_start = datetime.datetime.combine(day, datetime.time(starts))
                slot_end = datetime.datetime.combine(day, datetime.time(ends))
                if slot_start < begin or slot_end > end:
                    continue
                taken = any(o.window == (slot_start, slot_end) for o in self.orders.values())
                slots.append(
                    [
                        ("beginDate", _text(slot_start)),
                        ("endDate", _text(slot_end)),
                        ("available", "NO" if taken else "YES"),
                    ]
                )
            days.append(
                [
                    ("day", _text(datetime.datetime.combine(day, datetime.time()))),
                    ("nonWorkingDay", "true" if day.weekday() >= 5 else "false"),
                    *[("slotsForDay", slot) for slot in (slots if day.weekday() < 5 else [])],
                ]
            )
            day += datetime.timedelta(days=1)
        return {"status": "success", "errorMsg": message or None, "theSlots": days}

    def _createOrder(self, payload) -> dict:
        order = payload.find("theOrder")
        reference = order.findtext("primaryOrderNumber")
        if reference in self.orders:
            return {"status": "failure", "errorMsg": f"Order already exists: {reference}"}
        created = Order(next(self.ids), next(self.ids), reference, order.findtext("locationID") or "")
        self.orders[reference] = created
        return {"status": "success", "theOrder": self._order(created)}

    def _scheduleBooking(self, payload) -> dict:
        booking = payload.find("theBooking")
        order = self._by_booking(int(booking.findtext("bookingId")))
        if order is None:
            return {"status": "failure", "errorMsg": "No booking exists"}
        window = (
            _time(booking.findtext("planningWindowStart")),
            _time(booking.findtext("planningWindowEnd")),
        )
        if any(o.window == window and o is not order for o in self.orders.values()):
            return {"status": "failure", "errorMsg": "Slot not available"}
        order.window = window
        return {"status": "success", "theBooking": self._booking(order)}

    def _selectOrder(self, payload) -> dict:
        order = self.orders.get(payload.find("theOrder").findtext("primaryOrderNumber"))
        if order is None:
            return {"status": "failure", "errorMsg": "No order exists"}
        return {"status": "success", "theOrders": [self._order(order)]}

    def _deleteOrder(self, payload) -> dict:
        if self.orders.pop(payload.find("theOrder").findtext("primaryOrderNumber"), None) is None:
            return {"status": "failure", "errorMsg": "No order exists"}
        return {"status": "success"}

    def _updateBooking(self, payload) -> dict:
        booking = payload.find("theBooking")
        order = self._by_booking(int(booking.findtext("bookingId")))
        if order is None:
            return {"status": "failure", "errorMsg": "No booking exists"}
        order.completed = payload.findtext("completeOrder") == "true"
        return {"status": "success", "theBooking": self._booking(order)}

    def _completeOrder(self, payload) -> dict:
        return {"status": "success"}

    def _closeSession(self, payload) -> dict:
        self.sessions.discard(payload.findtext("sessionId"))
        return {"status": "success"}

    # --- shapes -------------------------------------------------------------------------------

    def _by_booking(self, booking_id: int) -> Order | None:
        return next((o for o in self.orders.values() if o.booking_id == booking_id), None)

    def _order(self, order: Order) -> list:
        return [
            ("orderId", str(order.order_id)),
            ("primaryOrderNumber", order.reference),
            ("locationID", order.location),
            ("status", "COMPLETED" if order.completed else "PLANNED"),
            ("theBookings", self._booking(order)),
        ]

    def _booking(self, order: Order) -> list:
        fields = [
            ("bookingId", str(order.booking_id)),
            ("orderId", str(order.order_id)),
            ("primaryOrderNumber", order.reference),
        ]
        if order.window:
            fields += [
                ("planningWindowStart", _text(order.window[0])),
                ("planningWindowEnd", _text(order.window[1])),
            ]
        if order.window:
            fields.append(("theResources", [("resourceName", "Pat Plumber")]))
        return fields

    def _respond(self, name: str, result: dict) -> Response:
        root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soapenv": SOAP_ENV, "ns1": NAMESPACE})
        body = etree.SubElement(root, f"{{{SOAP_ENV}}}Body")
        wrapper = etree.SubElement(body, f"{{{NAMESPACE}}}{name}Response")
        ret = etree.SubElement(wrapper, "return")
        ordered = [("status", result["status"]), ("errorMsg", result.get("errorMsg"))]
        ordered += [(k, v) for k, v in result.items() if k not in ("status", "errorMsg")]
        for key, value in ordered:
            _append(ret, key, value)
        return self._xml(etree.tostring(root, xml_declaration=True, encoding="UTF-8"), 200)

    @staticmethod
    def _xml(data: bytes, status: int) -> Response:
        return Response(data, status=status, content_type="text/xml; charset=utf-8")


def _append(parent, key: str, value) -> None:
    if value is None:
        return
    if isinstance(value, list) and value and isinstance(value[0], list):
        for item in value:  # a repeated element
            _append(parent, key, item)
        return
    element = etree.SubElement(parent, key)
    if isinstance(value, list):
        for child_key, child_value in value:
            _append(element, child_key, child_value)
    else:
        element.text = value


def _time(text: str) -> datetime.datetime:
    value = datetime.datetime.fromisoformat(text)
    assert value.tzinfo is None, f"DRS times carry no zone, got {text}"
    return value


def _text(value: datetime.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S")


def booking_confirmation(
    reference: str, start: datetime.datetime, end: datetime.datetime, order_id: int = 1
) -> bytes:
    """A `bookingConfirmation` push as DRS sends it when staff book in DRS's own screens."""
    return f"""<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
    xmlns:ns1="http://autogenerated.OTBackgroundService.xmbrace.com/">
  <soapenv:Header/>
  <soapenv:Body>
    <ns1:bookingConfirmation>
      <bookingConfirmation>
        <bookingId>{order_id + 1}</bookingId>
        <bookingReason>Tenant changed</bookingReason>
        <changedDate>{_text(start - datetime.timedelta(days=2))}</changedDate>
        <contract>H01</contract>
        <planningWindowEnd>{_text(end)}</planningWindowEnd>
        <planningWindowStart>{_text(start)}</planningWindowStart>
        <primaryOrderNumber>{reference}</primaryOrderNumber>
        <theBookingCodes>
          <bookingId>{order_id + 1}</bookingId>
          <orderId>{order_id}</orderId>
          <bookingCodeSORCode>PL-S</bookingCodeSORCode>
          <primaryOrderNumber>{reference}</primaryOrderNumber>
          <quantity>1</quantity>
          <standardMinuteValue>60</standardMinuteValue>
          <itemNumberWithinBooking>1</itemNumberWithinBooking>
          <trade>PL</trade>
        </theBookingCodes>
        <tokenId>fake-token</tokenId>
        <userId>drs-user</userId>
      </bookingConfirmation>
    </ns1:bookingConfirmation>
  </soapenv:Body>
</soapenv:Envelope>""".encode()
