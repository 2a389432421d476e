"""What the journey asks of the scheduler, in one place, so the pages never talk to adapters.

The scheduler app is being reorganised into modules; the names are looked up here once. Every call
is guarded: a scheduler that is down never stops a resident reporting (they are told we will contact
them, and the job waits in the needs-booking queue).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.utils import timezone

from properties.models import Alert, Property
from repairs.models import Job

logger = logging.getLogger(__name__)


def _first(name: str, *modules: str):
    """`name` from the first scheduling module that has it (the app is being split into modules)."""
    import importlib

    for module in modules:
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if found is not None:
            return found
    raise ImportError(f"No scheduling module offers {name}")


book_appointment = _first("book_appointment", "scheduling.booking", "scheduling.services")
cancel_appointment = _first("cancel_appointment", "scheduling.booking", "scheduling.services")
reschedule_appointment = _first("reschedule_appointment", "scheduling.booking", "scheduling.services")
slots_for_job = _first("slots_for_job", "scheduling.slots", "scheduling.booking", "scheduling.services")
enqueue_for_booking = _first("enqueue_for_booking", "scheduling.queue", "scheduling.services")
NotBookableOnline = _first("NotBookableOnline", "scheduling.routing", "scheduling.services")

from scheduling.port import LONDON, SchedulerError, Slot, SlotPage, SlotUnavailable  # noqa: E402

__all__ = [
    "LONDON",
    "NotBookableOnline",
    "Plan",
    "SchedulerError",
    "Slot",
    "SlotUnavailable",
    "book_appointment",
    "cancel_appointment",
    "enqueue_for_booking",
    "reschedule_appointment",
    "slot_text",
    "week_of_slots",
]

CALL_BACK_MESSAGE = "We will phone you within 2 working days to arrange a time to visit."
LATER_MESSAGE = "We will contact you within 2 working days to arrange a time to visit."
DOWN_MESSAGE = (
    "We cannot show appointment times right now. Carry on: we will save your report and contact you "
    "within 2 working days to arrange a time."
)


@dataclass(frozen=True)
class Plan:
    """How this repair's visit is arranged: chosen online ("slots") or not, with what to tell the resident."""

    kind: str  # slots, contractor, call_back, later
    message: str = ""
    page: SlotPage | None = None


def has_blocking_alert(home: Property | None) -> bool:
    """A cautionary or visit-in-pairs alert means no blind online booking (the alert is never shown)."""
    if home is None:
        return False
    return Alert.objects.current().filter(property=home, kind__in=["cautionary", "visit_in_pairs"]).exists()


def week_of_slots(job: Job, *, start: datetime.datetime | None) -> Plan:
    """The week of slots from `start`, or why there are none and what happens instead."""
    if has_blocking_alert(job.property):
        return Plan("call_back", CALL_BACK_MESSAGE)
    try:
        page = slots_for_job(job=job, start=start, days=7)
    except SchedulerError as error:
        if not _is_not_bookable(error):
            logger.warning("Slots unavailable for a resident: %s", error.message)
            return Plan("later", DOWN_MESSAGE)
        reason = getattr(error, "reason", "")
        if reason == "call_back":
            return Plan("call_back", error.message or CALL_BACK_MESSAGE)
        if reason == "contractor_arranges" or "arranged with you directly" in error.message:
            return Plan("contractor", error.message)
        return Plan("later", error.message or LATER_MESSAGE)
    except Exception:  # a scheduler fault must never stop a report
        logger.exception("Slots failed for a resident")
        return Plan("later", DOWN_MESSAGE)
    return Plan("slots", page=page)


def _is_not_bookable(error: Exception) -> bool:
    """Not bookable online (a decision), as opposed to a scheduler failing (a fault)."""
    return type(error).__name__ == "NotBookableOnline" or hasattr(error, "reason")


def call_back(job: Job) -> None:
    """Put the job in the queue for staff to phone the resident (never says why to the resident)."""
    try:
        enqueue_call_back = _first("enqueue_call_back", "scheduling.queue")
    except ImportError:
        enqueue_for_booking(
            job=job,
            appointment=None,
            error=SchedulerError("Call the resident to arrange a visit", retryable=False),
        )
    else:
        enqueue_call_back(job=job, reason="Call the resident to arrange a visit")


def slot_text(slot: Slot) -> str:
    """'Monday 3 March 2026, 8am to 12pm' in London time."""
    start, end = slot.start.astimezone(LONDON), slot.end.astimezone(LONDON)
    return f"{start:%A} {start.day} {start:%B %Y}, {_clock(start)} to {_clock(end)}"


def _clock(moment: datetime.datetime) -> str:
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), LONDON)


def today() -> datetime.date:
    return timezone.localtime(timezone.now(), LONDON).date()
