"""Jobs that come after a finished one: follow-ons (more work) and recalls (the repair did not last).

Both are new jobs linked to the original by `Job.follows`, never the original reopened, so the
original's completion stands and a recall can be counted against first-time fix. A resident following
the original job sees both on its timeline (`workflows.timeline.public_timeline`).
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from repairs.models import Channel, Job, JobKind, JobState, Priority, Report, SorCode, Trade
from repairs.references import save_with_unique_reference

from .errors import TransitionNotPermitted
from .models import JobEvent, LifecycleSettings
from .services import record_event

FINISHED = frozenset({JobState.COMPLETED, JobState.CLOSED})
# Those who finish work (operatives raise "needs a plasterer") or check new work may raise a follow-on.
FOLLOW_ON_PERMISSIONS = ("workflows.complete_job", "workflows.triage_job")


def create_follow_on(
    job: Job,
    *,
    trade: Trade,
    description: str,
    by: AbstractBaseUser | None,
    priority: Priority | None = None,
    size: str | None = None,
    sor_code: SorCode | None = None,
    note: str = "",
) -> Job:
    """A new job, linked to the completed `job`, for work it still needs (another trade, parts)."""
    if by is not None and not any(by.has_perm(p) for p in FOLLOW_ON_PERMISSIONS):
        raise TransitionNotPermitted("You do not have permission to raise a follow-on job.")
    if job.state not in FINISHED:
        raise ValidationError(
            f"Job {job.pk} is {job.get_state_display().lower()}: a follow-on is raised once it is "
            "completed. Put it on hold if it is waiting for something."
        )
    if not description.strip():
        raise ValidationError("Describe the work the follow-on is for.")
    with transaction.atomic():
        follow_on = _linked_job(
            job,
            kind=JobKind.FOLLOW_ON,
            trade=trade,
            description=description,
            priority=priority,
            size=size,
            sor_code=sor_code,
            channel=Channel.STAFF if by is not None else job.channel,
        )
        extra = f" {note.strip()}" if note.strip() else ""
        record_event(follow_on, "raised_as_follow_on", by=by, note=f"Follow-on from job {job.pk}.{extra}")
        record_event(job, "follow_on_raised", by=by, note=f"Follow-on job {follow_on.pk} for {trade}.{extra}")
    return follow_on


def report_recall(
    report_or_job: Report | Job, *, description: str, by: AbstractBaseUser | None = None
) -> Job:
    """A linked recall job for a repair that failed within the recall period (Settings in the admin).

    From a resident's report, the recall gets its own report with the same contact details, so they
    are kept up to date on it; from a job (staff), it has none. Outside the period, or for a repair
    not finished yet, a `ValidationError` says what to do instead.
    """
    earlier = report_or_job if isinstance(report_or_job, Report) else None
    original = earlier.job if earlier is not None else report_or_job
    if original.state not in FINISHED:
        raise ValidationError(
            f"This repair is still {original.get_state_display().lower()}, so it is not finished yet: "
            "there is no need to report it again."
        )
    if not description.strip():
        raise ValidationError("Describe what has gone wrong with the repair.")
    days = LifecycleSettings.load().recall_days
    finished_at = completed_at(original)
    if timezone.now() - finished_at > datetime.timedelta(days=days):
        raise ValidationError(
            f"This repair was completed on {timezone.localtime(finished_at):%-d %B %Y}, more than {days} "
            "days ago: report it as a new repair."
        )
    with transaction.atomic():
        recall = _linked_job(
            original,
            kind=JobKind.RECALL,
            trade=original.trade,
            description=description,
            channel=earlier.channel if earlier is not None else Channel.STAFF,
        )
        if earlier is not None:
            _copy_report(earlier, recall, description=description, by=by)
        record_event(recall, "recall_reported", by=by, note=f"Recall of job {original.pk}.")
        record_event(original, "recall_raised", by=by, note=f"Recall job {recall.pk} raised.", public=False)
    return recall


def completed_at(job: Job) -> datetime.datetime:
    """When the work was last completed (the latest `complete` event; its last change if none)."""
    event = JobEvent.objects.filter(job=job, action="complete").order_by("-occurred_at", "-id").first()
    return event.occurred_at if event else job.updated_at


def _linked_job(
    original: Job,
    *,
    kind: str,
    trade: Trade,
    description: str,
    channel: str,
    priority: Priority | None = None,
    size: str | None = None,
    sor_code: SorCode | None = None,
) -> Job:
    return Job.objects.create(
        property=original.property,
        communal_area=original.communal_area,
        trade=trade,
        priority=priority or original.priority,
        size=size or original.size,
        sor_code=sor_code
        if sor_code is not None
        else (original.sor_code if trade == original.trade else None),
        description=description.strip(),
        channel=channel,
        assignee=original.assignee if trade == original.trade else None,
        kind=kind,
        follows=original,
    )


def _copy_report(earlier: Report, recall: Job, *, description: str, by: AbstractBaseUser | None) -> Report:
    report = Report(
        job=recall,
        reporter_property=earlier.reporter_property,
        description=description.strip(),
        contact_name=earlier.contact_name,
        contact_phone=earlier.contact_phone,
        contact_email=earlier.contact_email,
        update_preference=earlier.update_preference,
        access_notes=earlier.access_notes,
        channel=earlier.channel,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    return save_with_unique_reference(report)
