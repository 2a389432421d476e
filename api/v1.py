"""The common repairs API at /api/v1/: addresses at a postcode, appointments, booking, status.

Every call is a thin layer over the services and selectors the web journey and the status page use.
Errors are RFC 9457 problem details (`api.problems`); the OpenAPI 3 document is served at
/api/v1/openapi.json and read by the schemathesis tests.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Header, NinjaAPI, Query
from ninja.errors import AuthenticationError, HttpError, ValidationError

from properties.postcodes import InvalidPostcode
from properties.selectors import addresses_at_postcode
from repairs import status_cache
from repairs.journey import booking
from repairs.models import Job, JobState, Report
from repairs.selectors import report_by_reference
from repairs.views.status import STATE_WORDS
from scheduling.models import Appointment
from scheduling.selectors import live_appointment
from workflows.timeline import public_timeline

from . import schemas as s
from .auth import ScopedKey, rate_headers
from .idempotency import once
from .locations import communal_address_id, home_address_id, home_for, place_for
from .models import Scope
from .problems import PROBLEM_CONTENT_TYPE, Problem, problem_response
from .reporting import (
    RepairOrder,
    checked_contact,
    file_repair,
    priority_by_code,
    sor_by_code,
    trade_by_code,
)

MAX_WEEKS_AHEAD = 8
WEEK_STARTING = Query(None, description="Default: today. Up to 8 weeks ahead.")
CHANGEABLE_STATES = {JobState.REPORTED, JobState.TRIAGED, JobState.SCHEDULED}
BOOKABLE_STATES = {JobState.REPORTED, JobState.TRIAGED, JobState.NO_ACCESS}
ARRANGEMENTS = {
    booking.NotBookableOnline.EMERGENCY: "emergency",
    booking.NotBookableOnline.CONTRACTOR_ARRANGES: "contractor_arranges",
}
COMMUNAL_MESSAGE = "Nobody needs to be in: the repair is done in the shared area."


def errors(*codes: int) -> dict[int, type]:
    return {code: s.Problem for code in (400, 401, 403, 429, *codes)}


class RepairsApi(NinjaAPI):
    """NinjaAPI whose OpenAPI document says what the API really sends: problem+json for errors, and
    links from a booking to the calls that read and change it (schemathesis follows them)."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for item in schema["paths"].values():
            for operation in item.values():
                for code, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(code) >= 400 and "application/json" in content:
                        response["content"] = {PROBLEM_CONTENT_TYPE: content["application/json"]}
        paths = [path for path in schema["paths"] if path.endswith("/repairs")]
        booked = schema["paths"][paths[0]].get("post", {}).get("responses", {}) if paths else {}
        for code, response in booked.items():
            if int(code) == 201:
                by_reference = {"reference": "$response.body#/reference"}
                response["links"] = {
                    "GetRepairStatus": {"operationId": "repair_status", "parameters": by_reference},
                    "ChangeAppointment": {"operationId": "change_appointment", "parameters": by_reference},
                    "CancelAppointment": {"operationId": "cancel_appointment", "parameters": by_reference},
                }
        return schema

    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__

    def create_response(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return _with_rate_headers(request, super().create_response(request, *args, **kwargs))


api = RepairsApi(
    title="Repairs Online API",
    version="1.0.0",
    description="Addresses eligible for repair, available appointments, booking a repair and its status. "
    "See docs/api.md for keys, scopes and rate limits.",
    urls_namespace="api_v1",
)


@api.exception_handler(Problem)
def _problem(request: HttpRequest, problem: Problem) -> HttpResponse:
    response = problem_response(problem, instance=request.path)
    if getattr(request, "rate_limit", None) is not None and problem.status != 429:
        for name, value in rate_headers(request.rate_limit).items():
            response[name] = value
    return response


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    fields = [
        {"location": ".".join(str(part) for part in e.get("loc", ())), "message": str(e.get("msg", ""))}
        for e in error.errors
    ]
    detail = "; ".join(f"{f['location']}: {f['message']}" for f in fields)[:1000]
    detail = detail or "The request is not valid."
    return problem_response(Problem(422, "invalid-request", detail, errors=fields), instance=request.path)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    problem = Problem(
        401,
        "invalid-key",
        "Send an API key as 'Authorization: Bearer <key>'.",
        headers={"WWW-Authenticate": 'Bearer realm="repairs"'},
    )
    return problem_response(problem, instance=request.path)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    kind = "unreadable-body" if error.status_code == 400 else "http-error"
    return problem_response(Problem(error.status_code, kind, str(error)), instance=request.path)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return problem_response(Problem(404, "not-found", str(error) or "Not found."), instance=request.path)


def _with_rate_headers(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    allowance = getattr(request, "rate_limit", None)
    if allowance is not None:
        for name, value in rate_headers(allowance).items():
            response[name] = value
    return response


# --- addresses -------------------------------------------------------------------------------------


@api.get(
    "/addresses",
    response={200: s.Addresses, **errors(404, 422)},
    auth=ScopedKey(Scope.ADDRESSES),
    summary="Addresses eligible for repair at a postcode",
)
def addresses(request: HttpRequest, postcode: str = Query(..., min_length=1, max_length=16)):
    try:
        found = addresses_at_postcode(postcode)
    except InvalidPostcode as error:
        raise Problem(422, "invalid-postcode", f"'{postcode[:16]}' is not a UK postcode.") from error
    if not (found.homes or found.communal_areas or found.not_repaired):
        raise Problem(404, "postcode-not-found", f"The register has no homes at {found.postcode}.")
    return {
        "postcode": found.postcode,
        "homes": [
            {
                "address_id": home_address_id(home),
                "property_reference": home.property_ref,
                "uprn": home.uprn,
                "address": home.one_line_address,
            }
            for home in found.homes
        ],
        "communal_areas": [
            {
                "address_id": communal_address_id(area),
                "name": area.name,
                "building": str(area.block or area.estate),
            }
            for area in found.communal_areas
        ],
        "not_repaired": [
            {
                "property_reference": item.home.property_ref,
                "uprn": item.home.uprn,
                "address": item.home.one_line_address,
                "reason": item.reason,
            }
            for item in found.not_repaired
        ],
    }


# --- appointments ----------------------------------------------------------------------------------


@api.get(
    "/appointments",
    response={200: s.Appointments, **errors(404, 422)},
    auth=ScopedKey(Scope.SLOTS),
    summary="Available appointments for a repair, a week at a time",
)
def appointments(
    request: HttpRequest,
    address_id: str = Query(..., min_length=1, max_length=40),
    trade: str = Query(..., min_length=1, max_length=20),
    priority: str = Query(..., min_length=1, max_length=20),
    size: Literal["S", "M", "L"] = Query("S"),
    week_starting: datetime.date | None = WEEK_STARTING,
):
    today = booking.today()
    week = week_starting if week_starting and week_starting > today else today
    if week > today + datetime.timedelta(weeks=MAX_WEEKS_AHEAD):
        raise Problem(
            422, "week-out-of-range", f"week_starting may be {MAX_WEEKS_AHEAD} weeks ahead at most."
        )
    place = place_for(address_id)
    job = Job(trade=trade_by_code(trade), priority=priority_by_code(priority), size=size, description="")
    answer = {
        "week_starting": week,
        "previous_week_starting": week - datetime.timedelta(days=7) if week > today else None,
        "next_week_starting": week + datetime.timedelta(days=7)
        if week + datetime.timedelta(days=7) <= today + datetime.timedelta(weeks=MAX_WEEKS_AHEAD)
        else None,
    }
    none = {**answer, "bookable_online": False, "slots": []}
    if not hasattr(place, "property_ref"):
        return {**none, "arrangement": "arranged_by_us", "message": COMMUNAL_MESSAGE}
    job.property = place
    plan = booking.week_of_slots(job, start=booking.local_midnight(week) if week > today else None)
    if plan.kind != "slots":
        arrangement = "unavailable" if plan.message == booking.DOWN_MESSAGE else _arrangement(job)
        return {**none, "arrangement": arrangement, "message": plan.message}
    slots = [
        {"start": slot.start, "end": slot.end, "label": booking.slot_text(slot)} for slot in plan.page.slots
    ]
    return {**answer, "bookable_online": True, "arrangement": "slots", "message": "", "slots": slots}


def _arrangement(job: Job) -> str:
    """Why there are no slots, in words that never reveal a cautionary alert (that reads 'arranged_by_us')."""
    try:
        booking.slots_for_job(job=job, days=1)
    except booking.NotBookableOnline as decision:
        return ARRANGEMENTS.get(decision.reason, "arranged_by_us")
    except Exception:
        return "unavailable"
    return "arranged_by_us"


# --- booking ---------------------------------------------------------------------------------------


@api.post(
    "/repairs",
    response={201: s.Booked, **errors(404, 409, 422)},
    auth=ScopedKey(Scope.BOOK),
    summary="Report a repair and book its appointment",
)
def book_repair(
    request: HttpRequest,
    payload: s.BookRepair,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=255),
):
    def make() -> tuple[int, dict]:
        return 201, _booked(_file(payload))

    status, body, replayed = once(api_key=request.auth, key=idempotency_key, body=request.body, make=make)
    response = api.create_response(request, body, status=status)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def _file(payload: s.BookRepair):
    place = place_for(payload.address_id)
    slot = None
    if payload.slot is not None:
        if not hasattr(place, "property_ref"):
            raise Problem(422, "communal-not-booked", "Communal repairs are not booked into slots.")
        if payload.slot.end <= payload.slot.start:
            raise Problem(422, "invalid-slot", "A slot must end after it starts.")
        slot = booking.Slot(payload.slot.start, payload.slot.end)
    phone, email = checked_contact(
        phone=payload.contact.phone, email=payload.contact.email, updates=payload.contact.updates
    )
    order = RepairOrder(
        place=place,
        trade=trade_by_code(payload.repair.trade),
        priority=priority_by_code(payload.repair.priority),
        size=payload.repair.size,
        sor_code=sor_by_code(payload.repair.sor_code),
        description=payload.repair.description,
        contact_name=payload.contact.name,
        contact_phone=phone,
        contact_email=email,
        update_preference=payload.contact.updates,
        access_notes=payload.access_notes,
        reporter_home=home_for(payload.reporter_address_id),
        slot=slot,
    )
    try:
        return file_repair(order)
    except booking.SlotUnavailable as error:
        raise Problem(409, "slot-unavailable", error.message + " Ask for appointments again.") from error


def _booked(filed) -> dict:
    from django.urls import reverse

    return {
        "reference": filed.report.reference,
        "status_url": reverse("repairs:status", args=[filed.report.status_token]),
        "outcome": filed.outcome,
        "message": filed.message,
        "appointment": _appointment(filed.appointment),
    }


def _appointment(appointment: Appointment | None) -> dict | None:
    if appointment is None:
        return None
    return {
        "status": appointment.status,
        "start": appointment.starts_at,
        "end": appointment.ends_at,
        "message": appointment.message,
    }


# --- status, change, cancel ------------------------------------------------------------------------


def _report(reference: str) -> Report:
    report = report_by_reference(reference)
    if report is None:
        raise Problem(404, "unknown-reference", "No repair has this reference.")
    return report


@api.get(
    "/repairs/{reference}",
    response={200: s.RepairStatus, **errors(404, 422)},
    auth=ScopedKey(Scope.STATUS),
    summary="A repair's status and public timeline",
)
def repair_status(request: HttpRequest, reference: str):
    report = _report(reference)
    job = report.job
    return {
        "reference": report.reference,
        "state": job.state,
        "status": str(STATE_WORDS.get(job.state, job.get_state_display())),  # the words are lazy (Welsh)
        "is_open": job.is_open,
        "trade": job.trade.name,
        "communal": job.is_communal,
        "reporters": job.reports.live().count(),
        "due": job.due_at,
        "appointment": _appointment(live_appointment(job)),
        "timeline": [
            {"when": entry.when, "title": entry.title, "detail": entry.detail}
            for entry in public_timeline(job)
        ],
    }


def _own_home_job(report: Report) -> Job:
    """The job whose appointment this report's holder may move: an in-home repair, reported from that home."""
    job = report.job
    own_home = bool(job.property_id) and report.reporter_property_id in (None, job.property_id)
    if not own_home or report.withdrawn_at is not None:
        raise Problem(
            409, "not-changeable", "Only an in-home repair's own reporter may change its appointment."
        )
    return job


@api.put(
    "/repairs/{reference}/appointment",
    response={200: s.AppointmentOut, **errors(404, 409, 422)},
    auth=ScopedKey(Scope.BOOK),
    summary="Change the appointment, or book one after a cancellation or no access",
)
def change_appointment(request: HttpRequest, reference: str, payload: s.SlotIn):
    job = _own_home_job(_report(reference))
    if payload.end <= payload.start:
        raise Problem(422, "invalid-slot", "A slot must end after it starts.")
    slot = booking.Slot(payload.start, payload.end)
    current = live_appointment(job)
    try:
        with transaction.atomic():
            if current is not None and current.status == "booked" and job.state in CHANGEABLE_STATES:
                appointment = booking.reschedule_appointment(appointment=current, slot=slot)
            elif current is None and job.state in BOOKABLE_STATES:
                _check_online(job)
                appointment = booking.book_appointment(job=job, slot=slot)
            else:
                raise Problem(409, "not-changeable", "This repair's appointment cannot be changed now.")
    except booking.SlotUnavailable as error:
        raise Problem(409, "slot-unavailable", error.message) from error
    except booking.NotBookableOnline as error:
        raise Problem(409, "not-bookable-online", error.message) from error
    except booking.SchedulerError as error:
        raise Problem(409, "scheduler-refused", error.message) from error
    status_cache.drop(job.pk)
    return _appointment(appointment)


def _check_online(job: Job) -> None:
    booking.slots_for_job(job=job, days=1)  # raises NotBookableOnline when residents may not choose


@api.delete(
    "/repairs/{reference}/appointment",
    response={204: None, **errors(404, 409, 422)},
    auth=ScopedKey(Scope.BOOK),
    summary="Cancel the appointment (the repair stays reported)",
)
def cancel_appointment(request: HttpRequest, reference: str):
    job = _own_home_job(_report(reference))
    appointment = live_appointment(job)
    if appointment is None or job.state not in CHANGEABLE_STATES:
        raise Problem(409, "no-appointment", "This repair has no appointment to cancel.")
    booking.cancel_appointment(appointment=appointment)
    status_cache.drop(job.pk)
    return 204, None
