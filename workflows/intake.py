"""What the lifecycle does as residents' reports arrive and are withdrawn.

`repairs.services.report_repair` sends `report_filed` inside its transaction and `receivers` calls
`report_filed_on` here: the public "report received" (or "reported by another resident") event, a more
urgent communal report raising the shared job's priority, and a job left on hold or with no access
for too long flagged for staff instead of quietly taking in more reports.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from repairs.models import OPEN_STATES, Job, JobState, Priority, Report

from .models import LifecycleSettings, state_before_hold
from .selectors import entered_state_at
from .services import change_priority, flag_attention, record_event, times_in_words, transition_job

S = JobState
STUCK_STATES = frozenset({S.ON_HOLD, S.NO_ACCESS})
# Work has not begun, so withdrawing the only report may cancel the job.
NOT_STARTED = frozenset({S.REPORTED, S.TRIAGED, S.SCHEDULED, S.NO_ACCESS})


def report_filed_on(*, report: Report, joined: bool, already_reported: bool, priority: Priority) -> None:
    job = report.job
    by = report.created_by
    if joined and priority.is_more_urgent_than(job.priority):
        change_priority(
            job,
            priority,
            by=None,
            note=f"Report {report.reference} said it is more urgent.",
            reported_at=report.created_at,
        )
    if already_reported:
        return
    if not joined:
        record_event(job, "report_received", by=by, note=f"Report {report.reference} ({report.channel}).")
        return
    count = job.reports.live().count()
    record_event(
        job,
        "neighbour_reported",
        by=by,
        note=f"Report {report.reference} joined this job.",
        public_note=f"This fault has now been reported {times_in_words(count)}.",
    )
    _flag_if_stuck(job)


def _flag_if_stuck(job: Job) -> None:
    if job.state not in STUCK_STATES:
        return
    limit = LifecycleSettings.load().attention_after_days
    since = entered_state_at(job)
    if timezone.now() - since <= datetime.timedelta(days=limit):
        return
    days = (timezone.now() - since).days
    flag_attention(
        job,
        f"Another resident reported it while it has been {job.get_state_display().lower()} for {days} days.",
    )


def withdraw_report(report: Report, *, by: AbstractBaseUser | None = None) -> Report:
    """A resident withdraws a report made in error; return the withdrawn report.

    Only this report is withdrawn: a communal job others reported carries on. The job is cancelled
    when this was its last live report and work has not started; if work has started, staff are shown
    the job instead. Withdrawing twice changes nothing.
    """
    actor = by if by is not None and by.is_authenticated else None
    with transaction.atomic():
        locked = Report.objects.select_for_update().select_related("job").get(pk=report.pk)
        if locked.withdrawn_at is not None:
            return locked
        job = locked.job
        if job.state not in OPEN_STATES:
            raise ValidationError(
                f"This repair is already {job.get_state_display().lower()}, so the report cannot be "
                "withdrawn."
            )
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["withdrawn_at"])
        note = f"Report {locked.reference} withdrawn: reported in error."
        others = job.reports.live().exists()
        if not others and _not_started(job):
            transition_job(
                job,
                "cancel",
                by=actor,
                note=note,
                public_note="The repair was reported by mistake, so it has been cancelled.",
            )
        else:
            record_event(job, "report_withdrawn", by=actor, note=note, public=False)
            if not others:
                flag_attention(job, "The only report was withdrawn after work started.", by=actor)
    report.withdrawn_at = locked.withdrawn_at
    return locked


def _not_started(job: Job) -> bool:
    if job.state == S.ON_HOLD:
        return state_before_hold(job) != S.IN_PROGRESS
    return job.state in NOT_STARTED
