"""Writes of the repairs app: taking a resident's report and turning it into work.

The same `report_repair` serves the public journey, the contact centre and the APIs. A report on a
communal area joins the open job for the same area and trade, so ten neighbours reporting one broken
lift make one job that all ten follow. Due dates, the public "report received" event and raising a
shared job's priority belong to the lifecycle: `repairs` sends `report_filed` inside the transaction and
`workflows.receivers` acts on it, since `workflows` depends on `repairs` and not the reverse.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from properties.models import CommunalArea, Property

from .contacts import same_phone
from .models import Channel, Job, JobSize, Priority, Report, SorCode, Trade, UpdatePreference
from .references import save_with_unique_reference
from .signals import report_filed


def report_repair(
    *,
    property: Property | None = None,
    communal_area: CommunalArea | None = None,
    trade: Trade,
    priority: Priority,
    size: str,
    sor_code: SorCode | None = None,
    description: str,
    contact_name: str,
    contact_phone: str = "",
    contact_email: str = "",
    update_preference: str,
    diagnosis: Sequence = (),
    channel: str,
    access_notes: str = "",
    reporter_property: Property | None = None,
    by: AbstractBaseUser | None = None,
) -> Report:
    """Record one resident's report and the job it belongs to; return the saved report.

    `reporter_property` is the reporter's own home (for a communal report; a report in a home defaults
    to that home). The returned report has `joined_existing_job` set: True when it joined a communal
    job someone else reported first (so the resident can be told "already reported, you will get
    updates"), and `already_reported`: True when the same person (same email or phone) had already
    reported this open job, in which case their earlier report comes back and nothing new is saved.
    """
    _check_report(
        property=property,
        communal_area=communal_area,
        size=size,
        description=description,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        update_preference=update_preference,
        channel=channel,
    )

    with transaction.atomic():
        job = None
        if communal_area is not None:
            job = _open_communal_job(communal_area, trade)
        joined = job is not None
        earlier = _earlier_report_by(job, contact_email, contact_phone) if joined else None
        if earlier is not None:
            report_filed.send(
                sender=Report, report=earlier, joined=True, already_reported=True, priority=priority
            )
            earlier.joined_existing_job = True
            earlier.already_reported = True
            return earlier
        if job is None:
            job = Job.objects.create(
                property=property,
                communal_area=communal_area,
                trade=trade,
                priority=priority,
                size=size,
                sor_code=sor_code,
                description=description.strip(),
                channel=channel,
            )
        report = Report(
            job=job,
            reporter_property=reporter_property or property,
            diagnosis=list(diagnosis),
            description=description.strip(),
            contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(),
            contact_email=contact_email.strip(),
            update_preference=update_preference,
            access_notes=access_notes.strip(),
            channel=channel,
            created_by=by if by is not None and by.is_authenticated else None,
        )
        save_with_unique_reference(report)
        report_filed.send(
            sender=Report, report=report, joined=joined, already_reported=False, priority=priority
        )
    report.joined_existing_job = joined
    report.already_reported = False
    return report


def _earlier_report_by(job: Job, email: str, phone: str) -> Report | None:
    """The same person's live report on this job, matched on email (any case) or phone (any spacing)."""
    email = email.strip().lower()
    for earlier in job.reports.live().order_by("created_at", "id"):
        if email and earlier.contact_email.lower() == email:
            return earlier
        if phone.strip() and same_phone(earlier.contact_phone, phone):
            return earlier
    return None


def _check_report(
    *,
    property: Property | None,
    communal_area: CommunalArea | None,
    size: str,
    description: str,
    contact_name: str,
    contact_phone: str,
    contact_email: str,
    update_preference: str,
    channel: str,
) -> None:
    """Refuse a report that could not be acted on, with a message that says what to put right."""
    if (property is None) == (communal_area is None):
        raise ValidationError("A repair is reported for a home or for a communal area: give exactly one.")
    if property is not None and not (property.is_active and property.council_repairs):
        raise ValidationError("The council does not repair this home.")
    if communal_area is not None and not communal_area.is_active:
        raise ValidationError("This communal area is no longer on the council's register.")
    if not description.strip():
        raise ValidationError("Describe the problem.")
    if not contact_name.strip():
        raise ValidationError("Give a name to contact.")
    if size not in JobSize.values:
        raise ValidationError(f"Size '{size}' should be S, M or L.")
    if channel not in Channel.values:
        raise ValidationError(f"Channel '{channel}' is not one of: {', '.join(Channel.values)}.")
    if update_preference not in UpdatePreference.values:
        raise ValidationError(f"Update preference '{update_preference}' is not one of: email, sms, none.")
    if update_preference == UpdatePreference.EMAIL and not contact_email.strip():
        raise ValidationError("Give an email address for updates by email.")
    if update_preference == UpdatePreference.SMS and not contact_phone.strip():
        raise ValidationError("Give a mobile number for updates by text message.")


def _open_communal_job(communal_area: CommunalArea, trade: Trade) -> Job | None:
    """The open job for this area and trade, if any.

    The communal area's row is locked first, so two residents reporting at the same moment queue here:
    the second sees the job the first created instead of making another.
    """
    CommunalArea.objects.select_for_update().filter(pk=communal_area.pk).first()
    return (
        Job.objects.open()
        .filter(communal_area=communal_area, trade=trade)
        .order_by("created_at", "id")
        .first()
    )
