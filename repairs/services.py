"""Writes of the repairs app: taking a resident's report and turning it into work.

The same `report_repair` serves the public journey, the contact centre and the APIs. A report on a
communal area joins the open job for the same area and trade, so ten neighbours reporting one broken
lift make one job that all ten follow; a more urgent report raises that job's priority. Due dates are
set by the lifecycle (`workflows.receivers`) whenever a job has none, whoever creates the job.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from properties.models import CommunalArea, Property

from .models import Channel, Job, JobSize, Priority, Report, SorCode, Trade, UpdatePreference
from .references import save_with_unique_reference


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
    by: AbstractBaseUser | None = None,
) -> Report:
    """Record one resident's report and the job it belongs to; return the saved report.

    The returned report has `joined_existing_job` set: True when it joined a communal job someone else
    reported first (so the resident can be told "already reported, you will get updates").
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
        if joined and priority.is_more_urgent_than(job.priority):
            _raise_priority(job, priority)
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
            reporter_property=property,
            diagnosis=list(diagnosis),
            description=description.strip(),
            contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(),
            contact_email=contact_email.strip(),
            update_preference=update_preference,
            channel=channel,
            created_by=by if by is not None and by.is_authenticated else None,
        )
        save_with_unique_reference(report)
    report.joined_existing_job = joined
    return report


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


def _raise_priority(job: Job, priority: Priority) -> None:
    """A more urgent report raises the shared job's priority; its due date never moves later.

    Clearing `due_at` lets the lifecycle's due-date rule set it again from the new priority, counted
    from now (the moment the more urgent report arrived).
    """
    previous_due = job.due_at
    job.priority = priority
    job.due_at = None
    job.save(update_fields=["priority", "due_at", "updated_at"])
    if previous_due is not None and previous_due < job.due_at:
        job.due_at = previous_due
        job.save(update_fields=["due_at"])


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
