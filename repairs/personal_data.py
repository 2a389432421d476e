"""What we hold about residents, and letting go of it: retention after a job ends, a subject-access
export for one resident, and erasure on request (docs/personal-data.md).

The job is the council's record of work and stays whole for reporting: trade, priority, dates, costs,
states and the event log. What goes is what identifies the person who reported it: the report's
contact details, access notes and own words, its photos, and the recipient and wording of the messages
sent to them. A removed report keeps its reference, so the job's history still reads in order.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from .contacts import phone_key
from .models import Job, JobState, Report
from .photos import ReportPhoto

REMOVED = "[removed]"
# A job in one of these states is over: nothing more will be done for the resident who reported it.
ENDED_STATES = (JobState.CLOSED, JobState.CANCELLED, JobState.REJECTED, JobState.MERGED)


@dataclass
class Removal:
    """What one retention run or erasure removed, in counts only (it is logged)."""

    reports: int = 0
    photos: int = 0
    messages: int = 0
    references: list[str] = field(default_factory=list)


def retention_days() -> int:
    return int(getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", 730))


def ended_jobs_before(cutoff: datetime.datetime) -> QuerySet[Job]:
    """Jobs that reached the state they are in now (an ended one) before `cutoff`, by the event log."""
    from workflows.models import JobEvent

    ended_at = (
        JobEvent.objects.filter(job=OuterRef("pk"), to_state=OuterRef("state"))
        .values("job")
        .annotate(last=Max("occurred_at"))
        .values("last")
    )
    return (
        Job.objects.filter(state__in=ENDED_STATES)
        .annotate(ended_at=Subquery(ended_at))
        .filter(Q(ended_at__lt=cutoff) | Q(ended_at__isnull=True, updated_at__lt=cutoff))
    )


def reports_due_for_removal(now: datetime.datetime | None = None) -> QuerySet[Report]:
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    return Report.objects.filter(job__in=ended_jobs_before(cutoff)).exclude(contact_name=REMOVED)


def _matches(email: str, phone: str, email_field: str, phone_field: str) -> tuple[Q, Any]:
    """A narrowing query for the database and an exact test in Python (phones are stored as typed)."""
    if not email and not phone:
        raise ValueError("Give an email address or a phone number.")
    wanted_phone = phone_key(phone)
    query = Q(pk__in=[])
    if email:
        query |= Q(**{f"{email_field}__iexact": email.strip()})
    if wanted_phone:
        query |= Q(**{f"{phone_field}__contains": wanted_phone[-3:]})

    def exact(row: Any) -> bool:
        return bool(email and getattr(row, email_field).strip().lower() == email.strip().lower()) or bool(
            wanted_phone and phone_key(getattr(row, phone_field)) == wanted_phone
        )

    return query, exact


def reports_of_resident(*, email: str = "", phone: str = "") -> list[Report]:
    """Every report made with this email or phone number, however the number was typed."""
    query, exact = _matches(email, phone, "contact_email", "contact_phone")
    return [report for report in Report.objects.select_related("job").filter(query) if exact(report)]


@transaction.atomic
def remove_personal_data(reports: list[Report] | QuerySet[Report]) -> Removal:
    """Blank the reports' personal fields, delete their photos and the messages' recipients and text."""
    from notifications.models import Message

    removal = Removal()
    report_ids = [report.pk for report in reports]
    if not report_ids:
        return removal
    photos = list(ReportPhoto.objects.filter(report_id__in=report_ids))
    for photo in photos:
        transaction.on_commit(lambda name=photo.image.name, storage=photo.image.storage: storage.delete(name))
    removal.photos = len(photos)
    ReportPhoto.objects.filter(pk__in=[photo.pk for photo in photos]).delete()
    removal.messages = Message.objects.filter(report_id__in=report_ids).update(
        recipient=REMOVED, personalisation={}, preview=""
    )
    removal.references = list(Report.objects.filter(pk__in=report_ids).values_list("reference", flat=True))
    removal.reports = Report.objects.filter(pk__in=report_ids).update(
        contact_name=REMOVED, contact_phone="", contact_email="", access_notes="", description=REMOVED
    )
    job_ids = set(Report.objects.filter(pk__in=report_ids).values_list("job_id", flat=True))
    transaction.on_commit(lambda: _drop_status_pages(job_ids))
    return removal


def _drop_status_pages(job_ids: set[int]) -> None:
    from . import status_cache

    for job_id in job_ids:
        status_cache.drop(job_id)


def apply_retention(now: datetime.datetime | None = None) -> Removal:
    """Remove personal data from reports whose job ended more than the retention period ago."""
    return remove_personal_data(list(reports_due_for_removal(now)))


def erase_resident(*, email: str = "", phone: str = "") -> Removal:
    """Erasure on request: every report this resident made, whatever state its job is in."""
    return remove_personal_data(reports_of_resident(email=email, phone=phone))


def export_resident(*, email: str = "", phone: str = "") -> dict[str, Any]:
    """A subject-access export: every report, photo, message and register contact held for them."""
    from notifications.models import Message
    from properties.models import Contact

    reports = reports_of_resident(email=email, phone=phone)
    report_ids = [report.pk for report in reports]
    photos = ReportPhoto.objects.filter(report_id__in=report_ids)
    messages = Message.objects.filter(report_id__in=report_ids).order_by("created_at", "id")
    query, exact = _matches(email, phone, "email", "phone")
    contacts = [c for c in Contact.objects.select_related("tenancy__property").filter(query) if exact(c)]
    return {
        "generated_at": timezone.now().isoformat(),
        "searched_for": {"email": email, "phone": phone},
        "reports": [
            {
                "reference": report.reference,
                "made_at": report.created_at.isoformat(),
                "channel": report.channel,
                "contact_name": report.contact_name,
                "contact_phone": report.contact_phone,
                "contact_email": report.contact_email,
                "update_preference": report.update_preference,
                "access_notes": report.access_notes,
                "description": report.description,
                "diagnosis": report.diagnosis,
                "withdrawn_at": report.withdrawn_at.isoformat() if report.withdrawn_at else None,
                "job": {"id": report.job_id, "state": report.job.state, "trade": str(report.job.trade_id)},
                "photos": [photo.image.name for photo in photos if photo.report_id == report.pk],
            }
            for report in reports
        ],
        "messages": [
            {
                "report": message.report.reference if message.report else None,
                "channel": message.channel,
                "recipient": message.recipient,
                "status": message.status,
                "created_at": message.created_at.isoformat(),
                "sent_at": message.sent_at.isoformat() if message.sent_at else None,
                "text": message.preview,
            }
            for message in messages.select_related("report")
        ],
        "register_contacts": [
            {
                "name": contact.name,
                "phone": contact.phone,
                "email": contact.email,
                "tenancy": contact.tenancy.tenancy_ref,
                "property": str(contact.tenancy.property),
            }
            for contact in contacts
        ],
    }
