"""Turn a finished journey into a report, a job and (where chosen) an appointment, exactly once.

The report, its photos and a slot booked in a local scheduler commit together: a slot taken meanwhile
rolls everything back and the resident chooses again with every answer still in their session. A
scheduler that fails in any other way never loses the report: the job joins the needs-booking queue.
A one-time submission token (checked under a cache lock) makes a double click or a retry one report.
An agent reporting for a caller (`assisted`) records it on the phone channel as its author; the flag
ends with the submit, so the agent's next report starts again from the back office.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext_noop

from cms.models import OutcomePage
from properties.models import CommunalArea, Property
from repairs.models import Channel, Priority, Report, SorCode, Trade
from repairs.services import report_repair

from ..photos import attach_photos
from . import assisted, booking
from .state import Journey

LOCK_SECONDS = 60
# Marked for translation: the question page shows it in the page's language; the report keeps it in English.
HOUSEHOLD_QUESTION = gettext_noop(
    "Does anyone who lives in your home have a health condition, or is anyone very young?"
)
RESULT_SECONDS = 60 * 60


class AlreadySubmitting(RuntimeError):
    """Another request is saving this very submission and has not finished within the wait."""


@dataclass(frozen=True)
class Submitted:
    report: Report
    plan: str  # booked, contractor, call_back, later, joined
    message: str = ""


def submit(journey: Journey, *, token: str) -> int:
    """Save the journey's report once per token and return its id (the same id on a repeat)."""
    done = cache.get(_result_key(token))
    if done:
        return done
    if not cache.add(_lock_key(token), 1, LOCK_SECONDS):
        return _wait_for(token)
    try:
        submitted = _save(journey)
        cache.set(_result_key(token), submitted.report.pk, RESULT_SECONDS)
        assisted.end(journey.session)
        return submitted.report.pk
    finally:
        cache.delete(_lock_key(token))


def _wait_for(token: str, *, seconds: float = 10.0) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.2)
        done = cache.get(_result_key(token))
        if done:
            return done
    raise AlreadySubmitting("This report is still being saved.")


def _lock_key(token: str) -> str:
    return f"repairs:journey:submitting:{token}"


def _result_key(token: str) -> str:
    return f"repairs:journey:submitted:{token}"


def _save(journey: Journey) -> Submitted:
    outcome = OutcomePage.objects.get(pk=journey["outcome_page_id"])
    home = Property.objects.filter(pk=journey["property_id"]).first() if journey["property_id"] else None
    area = (
        CommunalArea.objects.filter(pk=journey["communal_area_id"]).first()
        if journey["communal_area_id"]
        else None
    )
    reporter_home = Property.objects.filter(pk=journey["home_id"]).first() if journey["home_id"] else home
    preference = journey["update_preference"]
    phone = journey["update_phone"] if preference == "sms" else (journey["contact_phone"] or "")
    agent = assisted.agent(journey.session)
    with transaction.atomic():
        report = report_repair(
            property=None if area else home,
            communal_area=area,
            trade=Trade.objects.get(pk=outcome.trade_id),
            priority=Priority.objects.get(pk=outcome.priority_id),
            size=outcome.job_size,
            sor_code=SorCode.objects.filter(pk=outcome.sor_code_id).first() if outcome.sor_code_id else None,
            description=journey["description"],
            contact_name=journey["contact_name"],
            contact_phone=phone or "",
            contact_email=journey["contact_email"] if preference == "email" else "",
            update_preference=preference,
            diagnosis=_with_hazard_answers(journey, outcome),
            channel=Channel.PHONE if agent else Channel.ONLINE,
            by=agent,
            access_notes=journey.get("access_notes") or "",
            reporter_property=reporter_home,
        )
        attach_photos(draft_key=journey["draft_key"], report=report)
        if report.joined_existing_job or report.already_reported:
            return Submitted(report, "joined")
        return _arrange_visit(report, journey)


def _with_hazard_answers(journey: Journey, outcome: OutcomePage) -> list:
    """The diagnosis, plus what the lifecycle needs for an Awaab's Law hazard: the outcome's hazard kind
    and the household answer (`workflows.hazards.receivers` reads these keys)."""
    steps = list(journey.get("diagnosis") or [])
    if outcome.hazard_kind_id:
        step = {"hazard_kind": outcome.hazard_kind.code}
        if journey.get("household_at_risk") is not None:
            step |= {
                "question": HOUSEHOLD_QUESTION,
                "answer": "Yes" if journey["household_at_risk"] else "No",
                "household_at_risk": bool(journey["household_at_risk"]),
            }
        steps.append(step)
    return steps


def _arrange_visit(report: Report, journey: Journey) -> Submitted:
    job = report.job
    plan = journey.get("plan") or "later"
    if plan == "call_back":
        booking.call_back(job)
        return Submitted(report, "call_back", journey.get("plan_message") or booking.CALL_BACK_MESSAGE)
    slot = booking.Slot.from_key(journey["slot_key"]) if plan == "slots" and journey["slot_key"] else None
    if plan == "slots" and slot is None:
        plan = "later"
    try:
        with transaction.atomic():
            appointment = booking.book_appointment(job=job, slot=slot, by=report.created_by)
    except booking.SlotUnavailable:
        raise  # rolls the whole report back: the resident chooses another time
    except booking.NotBookableOnline as decision:  # the savepoint rolled back the queue entry it made
        if decision.reason == booking.NotBookableOnline.CALL_BACK:
            booking.call_back(job)
            return Submitted(report, "call_back", booking.CALL_BACK_MESSAGE)
        booking.enqueue_for_booking(job=job, appointment=None, error=decision)
        return Submitted(report, "later", journey.get("plan_message") or booking.LATER_MESSAGE)
    except booking.SchedulerError as error:  # down, or not bookable after all: staff book it by hand
        booking.enqueue_for_booking(job=job, appointment=None, error=error)
        return Submitted(report, "later", journey.get("plan_message") or booking.LATER_MESSAGE)
    if appointment.status == "with_contractor":
        return Submitted(report, "contractor", appointment.message)
    if appointment.starts_at:
        return Submitted(report, "booked")
    return Submitted(report, "later", appointment.message or booking.LATER_MESSAGE)
