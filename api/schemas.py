"""The shapes of the repairs API's requests and answers (pydantic, through django-ninja).

Lengths match the web journey's limits, so a partner cannot store what a resident could not type.
"""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Schema
from pydantic import AwareDatetime, Field

AddressId = Field(
    min_length=1,
    max_length=40,
    description="A home's property reference or UPRN, or a communal area's id ('communal-12').",
)


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict] | None = None


class Home(Schema):
    address_id: str = Field(description="Use this to ask for appointments and to book.")
    property_reference: str
    uprn: int | None
    address: str


class CommunalAreaOut(Schema):
    address_id: str
    name: str
    building: str


class NotRepairedHome(Schema):
    property_reference: str
    uprn: int | None
    address: str
    reason: str


class Addresses(Schema):
    postcode: str
    homes: list[Home]
    communal_areas: list[CommunalAreaOut]
    not_repaired: list[NotRepairedHome] = Field(
        description="Homes at the postcode the council does not repair inside, with the reason."
    )


class SlotOut(Schema):
    start: datetime.datetime
    end: datetime.datetime
    label: str


class Appointments(Schema):
    bookable_online: bool
    arrangement: Literal["slots", "emergency", "contractor_arranges", "arranged_by_us", "unavailable"]
    message: str = Field(description="What to tell the resident when there are no slots to choose.")
    week_starting: datetime.date
    next_week_starting: datetime.date | None
    previous_week_starting: datetime.date | None
    slots: list[SlotOut]


class SlotIn(Schema):
    start: AwareDatetime
    end: AwareDatetime


class RepairDetails(Schema):
    trade: str = Field(min_length=1, max_length=20, description="Trade code, like PL.")
    priority: str = Field(min_length=1, max_length=20, description="Priority code, like RO.")
    size: Literal["S", "M", "L"] = "S"
    sor_code: str | None = Field(default=None, max_length=30)
    description: str = Field(min_length=1, max_length=1000)


class Contact(Schema):
    name: str = Field(min_length=1, max_length=150)
    phone: str = Field(default="", max_length=30)
    email: str = Field(default="", max_length=254)
    updates: Literal["email", "sms", "none"] = "none"


class BookRepair(Schema):
    address_id: str = AddressId
    reporter_address_id: str | None = Field(
        default=None, max_length=40, description="The reporter's own home, for a communal repair."
    )
    repair: RepairDetails
    contact: Contact
    access_notes: str = Field(default="", max_length=500)
    slot: SlotIn | None = Field(default=None, description="A slot from /appointments; none: we arrange it.")


class AppointmentOut(Schema):
    status: str
    start: datetime.datetime | None
    end: datetime.datetime | None
    message: str


class Booked(Schema):
    reference: str
    status_url: str = Field(description="The resident's status page (send it to them; it needs no login).")
    outcome: Literal["booked", "contractor", "call_back", "later", "joined"]
    message: str
    appointment: AppointmentOut | None


class TimelineEntryOut(Schema):
    when: datetime.datetime
    title: str
    detail: str


class RepairStatus(Schema):
    reference: str
    state: str
    status: str = Field(description="The state in plain words, as on the status page.")
    is_open: bool
    trade: str
    communal: bool
    reporters: int
    due: datetime.datetime | None
    appointment: AppointmentOut | None
    timeline: list[TimelineEntryOut]
