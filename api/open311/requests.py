"""Service requests as Open311 shows them: a report's public face, never its reporter.

`service_request_id` is the report's reference. Like the status page, a request never carries a name,
phone, email, the resident's own description (it may name people) or a home's address; a communal
area's name and postcode are shown, as they are no one's home.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from repairs.models import OPEN_STATES, Report
from repairs.references import normalise_reference
from repairs.views.status import STATE_WORDS

from ..locations import communal_address_id
from .catalogue import OUTCOME_PREFIX, TRADE_PREFIX

MAX_RESULTS = 1000
MAX_IDS = 100
MAX_SPAN = datetime.timedelta(days=90)


class BadQuery(ValueError):
    """A query the specification does not allow; the message is the error's description."""


def reports() -> QuerySet[Report]:
    return Report.objects.select_related(
        "job__trade", "job__communal_area__block", "job__communal_area__estate"
    ).order_by("-created_at", "-id")


def by_references(text: str) -> list[Report]:
    references = [normalise_reference(part) for part in text.split(",") if part.strip()]
    if len(references) > MAX_IDS:
        raise BadQuery(f"Ask for at most {MAX_IDS} service_request_id values at once.")
    return list(reports().filter(reference__in=references))


def matching(*, service_code: str = "", status: str = "", start: str = "", end: str = "") -> list[Report]:
    """Requests in a date range (at most 90 days, default the last 90), newest first, at most 1,000."""
    start_at, end_at = _span(start, end)
    found = reports().filter(created_at__gte=start_at, created_at__lte=end_at)
    statuses = {part.strip() for part in status.split(",") if part.strip()}
    if statuses - {"open", "closed"}:
        raise BadQuery("status may be open, closed or both (comma separated).")
    if statuses == {"open"}:
        found = found.filter(job__state__in=OPEN_STATES)
    elif statuses == {"closed"}:
        found = found.exclude(job__state__in=OPEN_STATES)
    codes = {part.strip() for part in service_code.split(",") if part.strip()}
    if not codes:
        return list(found[:MAX_RESULTS])
    trades = {code.removeprefix(TRADE_PREFIX) for code in codes if code.startswith(TRADE_PREFIX)}
    outcome_codes = {code for code in codes if code.startswith(OUTCOME_PREFIX)}
    if outcome_codes:  # an outcome is known from the stored diagnosis, read here rather than in SQL
        chosen = [
            r for r in found[: MAX_RESULTS * 5] if service_code_of(r) in codes or r.job.trade.code in trades
        ]
        return chosen[:MAX_RESULTS]
    return list(found.filter(job__trade__code__in=trades)[:MAX_RESULTS])


def _span(start: str, end: str) -> tuple[datetime.datetime, datetime.datetime]:
    start_at, end_at = _moment(start, "start_date"), _moment(end, "end_date")
    if start_at and end_at:
        if end_at < start_at:
            raise BadQuery("end_date is before start_date.")
        if end_at - start_at > MAX_SPAN:
            raise BadQuery("start_date and end_date may be at most 90 days apart.")
        return start_at, end_at
    if start_at:
        return start_at, start_at + MAX_SPAN
    end_at = end_at or timezone.now()
    return end_at - MAX_SPAN, end_at


def _moment(text: str, name: str) -> datetime.datetime | None:
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise BadQuery(f"{name} must be a W3C date and time, like 2026-01-31T09:00:00Z.") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def outcome_step(report: Report) -> dict | None:
    for step in reversed(report.diagnosis or []):
        if isinstance(step, dict) and step.get("outcome"):
            return step
    return None


def service_code_of(report: Report) -> str:
    step = outcome_step(report)
    if step and step.get("page_id"):
        return f"{OUTCOME_PREFIX}{step['page_id']}"
    return f"{TRADE_PREFIX}{report.job.trade.code}"


def record(report: Report) -> dict:
    job = report.job
    area = job.communal_area
    step = outcome_step(report)
    name = str(step["outcome"]) if step else job.trade.name
    return {
        "service_request_id": report.reference,
        "status": "open" if job.is_open else "closed",
        "status_notes": STATE_WORDS.get(job.state, job.get_state_display()),
        "service_name": name,
        "service_code": service_code_of(report),
        "description": name,
        "agency_responsible": "",
        "service_notice": "",
        "requested_datetime": _w3c(report.created_at),
        "updated_datetime": _w3c(job.updated_at),
        "expected_datetime": _w3c(job.due_at),
        "address": str(area) if area else "",
        "address_id": communal_address_id(area) if area else "",
        "zipcode": area.block.postcode if area and area.block_id else "",
        "lat": None,
        "long": None,
        "media_url": "",
    }


def _w3c(moment: datetime.datetime | None) -> str | None:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None
