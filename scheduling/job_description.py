"""What a scheduler is told about a job: where, what trade and size, how urgent, who to contact, and
what the operative must know before arriving (alerts, asbestos).

A job not saved yet (the resident is still choosing a time) can be described too: it has no
reference and no report, but its place, trade, priority and size are enough to offer slots.
"""

from __future__ import annotations

from django.utils import timezone

from properties.models import Alert, AsbestosRecord, AsbestosRisk
from repairs.models import Job

from .models import RoutingRule
from .port import LONDON, JobSpec, SorLine
from .selectors import job_reference


def job_spec(job: Job, *, rule: RoutingRule | None = None) -> JobSpec:
    """Describe `job` for a scheduler (once per booking: every call reads the reports and alerts)."""
    location = job.location
    report = job.reports.order_by("created_at", "id").first() if job.pk else None
    if job.property_id:
        address = ", ".join(p for p in (location.address_line_1, location.address_line_2, location.town) if p)
        postcode, location_id = location.postcode, location.property_ref
    else:
        parent = location.block or location.estate
        address = f"{location.name}, {parent}" if parent else location.name
        postcode = getattr(parent, "postcode", "") or ""
        location_id = f"CA-{location.pk}"
    sor_lines = ()
    if job.sor_code_id:
        sor = job.sor_code
        sor_lines = (
            SorLine(code=sor.code, standard_minutes=sor.standard_minutes, description=sor.description),
        )
    return JobSpec(
        reference=job_reference(job) if job.pk else "",
        trade=job.trade.code,
        size=job.size,
        priority=job.priority.code,
        target_date=timezone.localtime(job.due_at, LONDON).date() if job.due_at else None,
        location_id=location_id,
        address=address,
        postcode=postcode,
        is_communal=job.is_communal,
        sor_lines=sor_lines,
        description=job.description,
        contact_name=report.contact_name if report else "",
        contact_phone=report.contact_phone if report else "",
        access_notes=report.access_notes if report else "",
        team_id=rule.team_id if rule else None,
        warnings=operative_warnings(job),
    )


def operative_warnings(job: Job) -> tuple[str, ...]:
    """Current alerts on the home and known asbestos where the work is: for the operative only."""
    warnings: list[str] = []
    if job.property_id:
        for alert in Alert.objects.current().filter(property_id=job.property_id):
            warnings.append(": ".join(p for p in (alert.get_kind_display(), alert.description.strip()) if p))
        asbestos = AsbestosRecord.objects.filter(property_id=job.property_id)
    else:
        asbestos = AsbestosRecord.objects.filter(communal_area_id=job.communal_area_id)
    for record in asbestos.exclude(risk=AsbestosRisk.NONE):
        where = ", ".join(p for p in (record.location, record.material) if p)
        warnings.append(f"Asbestos ({record.get_risk_display().lower()} risk): {where}")
    return tuple(warnings)


def has_blocking_alert(job: Job) -> bool:
    """A home with a cautionary alert is never booked online blind: staff call the resident first."""
    if not job.property_id:
        return False
    return any(
        alert.blocks_online_booking for alert in Alert.objects.current().filter(property_id=job.property_id)
    )
