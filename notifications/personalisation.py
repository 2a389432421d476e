"""Filling a rule's personalisation fields for one recipient of one message."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from repairs.models import Job, Report
from scheduling.models import Appointment
from workflows.models import JobEvent

from .fields import FREE_TEXT_FIELDS, neutralise_for_sms


@dataclass(frozen=True)
class Context:
    """What a message is about: the job, the event (if any), the reporter's own report (if any)."""

    job: Job
    event: JobEvent | None = None
    report: Report | None = None
    appointment: Appointment | None = None


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def status_page_path(report: Report) -> str:
    try:
        return reverse("repairs:status", kwargs={"token": report.status_token})
    except NoReverseMatch:
        return f"/repairs/status/{report.status_token}/"


def job_page_path(job: Job) -> str:
    try:
        return reverse("backoffice:job_detail", kwargs={"pk": job.pk})
    except NoReverseMatch:
        return f"/back-office/jobs/{job.pk}/"


def when_in_words(start: datetime.datetime, end: datetime.datetime | None = None) -> str:
    """'Tuesday 4 March, 8am to 12pm' in the council's time zone."""
    start = timezone.localtime(start)
    text = f"{start:%A} {start.day} {start:%B}, {_clock(start)}"
    if end is not None:
        text += f" to {_clock(timezone.localtime(end))}"
    return text


def _clock(moment: datetime.datetime) -> str:
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def field_values(context: Context, *, for_resident: bool) -> dict[str, str]:
    """Every field of the catalogue for this context (the caller keeps those the rule names)."""
    job, event, report = context.job, context.event, context.report
    location = job.location
    if job.property_id:
        address_line = job.property.address_line_1
    else:
        address_line = location.name if location is not None else ""
    appointment = ""
    if context.appointment is not None and context.appointment.starts_at:
        appointment = when_in_words(context.appointment.starts_at, context.appointment.ends_at)
    elif event is not None and event.public_note:
        appointment = event.public_note
    if for_resident and report is not None:
        reference, status_url = report.reference, absolute(status_page_path(report))
    else:
        reference, status_url = f"RO-{job.pk}", absolute(job_page_path(job))
    return {
        "reference": reference,
        "status_url": status_url,
        "repair": job.description,
        "trade": job.trade.name,
        "address_line": address_line,
        "appointment": appointment,
        "public_note": event.public_note if event is not None else "",
        "status": job.get_state_display(),
        "priority": job.priority.name,
        "due_date": when_in_words(job.due_at) if job.due_at else "",
    }


def personalisation_for(
    names: list[str], context: Context, *, channel: str, for_resident: bool
) -> tuple[dict[str, str], list[str]]:
    """The personalisation to send and the keys Notify should sanitise (email only).

    Free text goes to email with `sanitise_content_for` (Notify escapes Markdown and strips links);
    text messages get it neutralised here, since Notify sanitises email only.
    """
    values = field_values(context, for_resident=for_resident)
    chosen = {name: values[name] for name in names}
    free = [name for name in names if name in FREE_TEXT_FIELDS]
    if channel == "sms":
        for name in free:
            chosen[name] = neutralise_for_sms(chosen[name])
        return chosen, []
    return chosen, free
