"""Reporting and booking a repair for a partner system, through the services the web journey uses.

`report_repair(channel="api")` takes the report (communal grouping, the lifecycle's "report received",
Notify); `scheduling.booking.book_appointment` books it (a home with a cautionary alert goes to the
call-back queue, never into a slot). The order and the fall-backs are the journey's
(`repairs.journey.submit`): a slot taken meanwhile rolls the report back so the caller can choose
again; any other scheduler failure keeps the report and puts the job in the needs-booking queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from properties.models import CommunalArea, Property
from repairs.forms import uk_phone
from repairs.journey import booking
from repairs.models import Channel, Priority, Report, SorCode, Trade, UpdatePreference
from repairs.services import report_repair
from scheduling.models import Appointment
from scheduling.routing import online_routing

from .problems import Problem

JOINED_MESSAGE = (
    "This fault has already been reported. The report has joined that repair and gets the same updates."
)


@dataclass(frozen=True)
class RepairOrder:
    """A partner's request to report a repair, with every code already looked up."""

    place: Property | CommunalArea
    trade: Trade
    priority: Priority
    size: str
    description: str
    contact_name: str
    contact_phone: str = ""
    contact_email: str = ""
    update_preference: str = UpdatePreference.NONE
    sor_code: SorCode | None = None
    access_notes: str = ""
    reporter_home: Property | None = None
    diagnosis: list = field(default_factory=list)
    slot: booking.Slot | None = None


@dataclass(frozen=True)
class Filed:
    report: Report
    outcome: str  # booked, contractor, call_back, later, joined
    message: str
    appointment: Appointment | None = None


def trade_by_code(code: str) -> Trade:
    trade = Trade.objects.filter(code__iexact=code.strip(), is_active=True).first()
    if trade is None:
        raise Problem(422, "unknown-trade", f"No active trade has the code '{code[:20]}'.")
    return trade


def priority_by_code(code: str) -> Priority:
    priority = Priority.objects.filter(code__iexact=code.strip()).first()
    if priority is None:
        raise Problem(422, "unknown-priority", f"No priority has the code '{code[:20]}'.")
    return priority


def sor_by_code(code: str | None) -> SorCode | None:
    if not code:
        return None
    sor = SorCode.objects.filter(code__iexact=code.strip(), is_active=True).first()
    if sor is None:
        raise Problem(422, "unknown-sor-code", f"No active SoR code is '{code[:30]}'.")
    return sor


def checked_contact(*, phone: str, email: str, updates: str) -> tuple[str, str]:
    """The phone in E.164 and the email, checked as the journey checks them; a 422 problem otherwise."""
    try:
        phone = uk_phone(phone, mobile=updates == UpdatePreference.SMS) if phone.strip() else ""
        if email.strip():
            validate_email(email.strip())
    except ValidationError as error:
        detail = " ".join(error.messages) or "Check the contact details."
        raise Problem(422, "invalid-contact", detail) from error
    return phone, email.strip()


def file_repair(order: RepairOrder) -> Filed:
    """Save the report and arrange its visit; `SlotUnavailable` leaves nothing saved."""
    if order.slot is not None and order.priority.is_emergency:
        raise Problem(
            422, "emergency-not-booked", "Emergencies are not booked into slots: report it without a slot."
        )
    home = order.place if isinstance(order.place, Property) else None
    area = order.place if isinstance(order.place, CommunalArea) else None
    with transaction.atomic():
        try:
            report = report_repair(
                property=home,
                communal_area=area,
                trade=order.trade,
                priority=order.priority,
                size=order.size,
                sor_code=order.sor_code,
                description=order.description,
                contact_name=order.contact_name,
                contact_phone=order.contact_phone,
                contact_email=order.contact_email,
                update_preference=order.update_preference,
                diagnosis=order.diagnosis,
                channel=Channel.API,
                access_notes=order.access_notes,
                reporter_property=order.reporter_home,
            )
        except ValidationError as error:
            raise Problem(422, "invalid-repair", " ".join(error.messages)) from error
        if report.joined_existing_job or report.already_reported:
            return Filed(report, "joined", JOINED_MESSAGE)
        return _arrange_visit(report, order.slot)


def _arrange_visit(report: Report, slot: booking.Slot | None) -> Filed:
    job = report.job
    if slot is not None and not _residents_choose_slots(job):
        slot = None  # the rule says staff or the contractor arrange it: take the report, not the slot
    try:
        with transaction.atomic():
            appointment = booking.book_appointment(job=job, slot=slot)
    except booking.SlotUnavailable:
        raise
    except booking.NotBookableOnline as decision:  # the savepoint dropped the queue entry it made
        if decision.reason == booking.NotBookableOnline.CALL_BACK:
            booking.call_back(job)
            return Filed(report, "call_back", booking.CALL_BACK_MESSAGE)
        booking.enqueue_for_booking(job=job, appointment=None, error=decision)
        return Filed(report, "later", booking.LATER_MESSAGE)
    except booking.SchedulerError as error:
        booking.enqueue_for_booking(job=job, appointment=None, error=error)
        return Filed(report, "later", booking.LATER_MESSAGE)
    if appointment.status == "with_contractor":
        return Filed(report, "contractor", appointment.message, appointment)
    if appointment.starts_at:
        return Filed(report, "booked", "", appointment)
    return Filed(report, "later", appointment.message or booking.LATER_MESSAGE, appointment)


def _residents_choose_slots(job) -> bool:
    try:
        online_routing(job)
    except booking.NotBookableOnline as decision:
        return decision.reason == booking.NotBookableOnline.CALL_BACK  # book_appointment routes it
    except booking.SchedulerError:
        return True  # booking will meet the same fault and queue the job
    return True
