"""What the journey asks of the scheduler, in one place, so the pages never talk to adapters.

Every call is guarded: a scheduler that is down never stops a resident reporting (they are told we
will contact them, and the job waits in the needs-booking queue). Whether a job may be booked online
(an emergency, a home with a cautionary alert, a contractor who arranges it) is `scheduling.routing`'s
decision; this module only turns its `reason` into words for the resident.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from repairs.models import Job
from scheduling.booking import book_appointment, cancel_appointment, reschedule_appointment, slots_for_job
from scheduling.port import LONDON, SchedulerError, Slot, SlotPage, SlotUnavailable
from scheduling.queue import enqueue_call_back, enqueue_for_booking
from scheduling.routing import CALL_BACK_REASON, NotBookableOnline

logger = logging.getLogger(__name__)

__all__ = [
    "LONDON",
    "NotBookableOnline",
    "Plan",
    "SchedulerError",
    "Slot",
    "SlotUnavailable",
    "book_appointment",
    "call_back",
    "cancel_appointment",
    "enqueue_for_booking",
    "reschedule_appointment",
    "slot_text",
    "week_of_slots",
]

# Kept in English (the journey, the queue and the API store and compare them); pages translate them
# when they show them (`message_in_language`).
CALL_BACK_MESSAGE = gettext_noop("We will phone you within 2 working days to arrange a time to visit.")
LATER_MESSAGE = gettext_noop("We will contact you within 2 working days to arrange a time to visit.")
DOWN_MESSAGE = gettext_noop(
    "We cannot show appointment times right now. Carry on: we will save your report and contact you "
    "within 2 working days to arrange a time."
)


@dataclass(frozen=True)
class Plan:
    """How this repair's visit is arranged: chosen online ("slots") or not, with what to tell the resident."""

    kind: str  # slots, contractor, call_back, later
    message: str = ""
    page: SlotPage | None = None


def week_of_slots(job: Job, *, start: datetime.datetime | None) -> Plan:
    """The week of slots from `start`, or why there are none and what happens instead (never the alert)."""
    try:
        page = slots_for_job(job=job, start=start, days=7)
    except NotBookableOnline as decision:
        return _plan_without_slots(decision)
    except SchedulerError as error:
        logger.warning("Slots unavailable for a resident: %s", error.message)
        return Plan("later", DOWN_MESSAGE)
    except Exception:  # a scheduler fault must never stop a report
        logger.exception("Slots failed for a resident")
        return Plan("later", DOWN_MESSAGE)
    return Plan("slots", page=page)


def _plan_without_slots(decision: NotBookableOnline) -> Plan:
    if decision.reason == NotBookableOnline.CALL_BACK:
        return Plan("call_back", CALL_BACK_MESSAGE)
    if decision.reason == NotBookableOnline.CONTRACTOR_ARRANGES:
        return Plan("contractor", decision.message)
    if decision.reason == NotBookableOnline.NOT_ONLINE:
        return Plan("later", decision.message)
    return Plan("later", LATER_MESSAGE)  # no routing rule yet: staff arrange it (the reason is internal)


def call_back(job: Job) -> None:
    """Put the job in the queue for staff to phone the resident (never says why to the resident)."""
    enqueue_call_back(job=job, reason=CALL_BACK_REASON)


def slot_text(slot: Slot) -> str:
    """'Monday 3 March 2026, 8am to 12pm' in London time, in the language of the page."""
    start, end = slot.start.astimezone(LONDON), slot.end.astimezone(LONDON)
    words = {"day": formats.date_format(start, "l j F Y"), "start": clock(start), "end": clock(end)}
    if end.hour == 12 and end.minute == 0:  # its own sentence: Welsh mutates "canol dydd" after "i"
        return _("%(day)s, %(start)s to midday") % words
    return _("%(day)s, %(start)s to %(end)s") % words


def message_in_language(message: str) -> str:
    """A stored message about arranging the visit in the page's language: ours are translated, a
    council's own wording (a routing rule's message) is shown as written."""
    return _(message) if message else message


def clock(moment: datetime.datetime | datetime.time) -> str:
    """'8am', '9:30am', 'midday' (GOV.UK style), in the language of the page."""
    if moment.hour == 12 and moment.minute == 0:
        return _("midday")
    time = (
        f"{moment.hour % 12 or 12}" if moment.minute == 0 else f"{moment.hour % 12 or 12}:{moment.minute:02d}"
    )
    return (_("%(time)sam") if moment.hour < 12 else _("%(time)spm")) % {"time": time}


def local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), LONDON)


def today() -> datetime.date:
    return timezone.localtime(timezone.now(), LONDON).date()
