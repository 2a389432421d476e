"""Writes of the lifecycle: moving a job through its states, merging duplicates, changing priority.

Every change here runs in one transaction that holds the job's row lock (`select_for_update`), checks
that the job is still in the state the caller saw (two people acting on one job: the second is told,
never silently overruled), checks the permission the transition declares, saves through
`ConcurrentTransitionMixin` (the UPDATE is filtered on the old state, a second guard), writes a
`JobEvent`, and sends `job_transitioned` only once the transaction has committed.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, has_transition_perm

from repairs.models import Job, JobState, Priority, Report

from .errors import ConcurrentChange, TransitionNotAllowed, TransitionNotPermitted
from .events import job_transitioned
from .models import JobEvent, JobLifecycle, has_merge_target, is_emergency
from .sla import due_at
from .timeline import is_public_by_default

logger = logging.getLogger(__name__)

# The actions callers may name; "merge" only happens through merge_jobs, which also moves the reports.
ACTIONS = frozenset(
    t.name for t in JobLifecycle._meta.get_field("state").get_all_transitions(JobLifecycle)
) - {"merge"}

CONDITION_MESSAGES: dict[Callable[[Job], bool], str] = {
    is_emergency: "only an emergency can start before it is scheduled",
    has_merge_target: "it has no other job to merge into",
}


def transition_job(
    job: Job,
    action: str,
    *,
    by: AbstractBaseUser | None,
    note: str = "",
    public: bool | None = None,
    public_note: str = "",
) -> Job:
    """Apply `action` (a transition name such as "triage") to `job` and return the saved job.

    `by=None` means the system (an inbound scheduler update) and skips the permission check. The
    caller's `job` object is brought up to date with the new state as well. `note` is for staff;
    `public_note` is what residents read beside a public event (the public reason for a hold, a
    cancellation or a rejection). `public` defaults to what `workflows.timeline` says for the action.
    """
    if action not in ACTIONS:
        raise TransitionNotAllowed(f"There is no action called '{action}'.")
    seen_state = job.state
    with transaction.atomic():
        locked = _lock(job.pk, seen_state)
        _apply(locked, action, by=by, note=note, public=public, public_note=public_note)
    _sync_state(job, locked.state)
    return locked


def record_event(
    job: Job,
    action: str,
    *,
    by: AbstractBaseUser | None = None,
    note: str = "",
    public: bool | None = None,
    public_note: str = "",
) -> JobEvent:
    """Record something that happened to `job` without changing its state (an appointment moved, a
    neighbour reported the same fault). Call it inside the transaction that made the change.
    `public` defaults to what `workflows.timeline` says for the action."""
    return _record(
        job,
        action=action,
        source=job.state,
        by=by,
        note=note,
        public=public,
        public_note=public_note,
        announce=False,
    )


def merge_jobs(
    source: Job, into: Job, *, by: AbstractBaseUser | None, note: str = "", force: bool = False
) -> Job:
    """Merge the duplicate `source` into `into`: every report moves, `source` ends `merged`.

    Reporters keep their references and status links: a report follows whichever job it belongs to,
    and jobs already merged into `source` are pointed at `into` so no chain is left behind. The
    survivor keeps the more urgent priority and the earlier due date. Jobs for different places or
    trades are refused unless `force=True` with a note saying why (one lift entered under two names).
    """
    if source.pk == into.pk:
        raise TransitionNotAllowed("A job cannot be merged into itself.")
    seen = {source.pk: source.state, into.pk: into.state}
    with transaction.atomic():
        # Lock both rows in a fixed order so two opposite merges cannot deadlock.
        rows = {j.pk: j for j in JobLifecycle.objects.select_for_update().filter(pk__in=seen).order_by("pk")}
        if len(rows) != 2:
            raise TransitionNotAllowed("One of the jobs no longer exists.")
        for pk, state in seen.items():
            if rows[pk].state != state:
                raise ConcurrentChange(_changed_message(pk, rows[pk].state))
        locked_source, locked_into = rows[source.pk], rows[into.pk]
        if not locked_into.is_open:
            raise TransitionNotAllowed(
                f"Job {into.pk} is {locked_into.get_state_display().lower()}: merge into an open job."
            )
        _check_same_fault(locked_source, locked_into, force=force, note=note)
        locked_source.merged_into = locked_into
        _apply(locked_source, "merge", by=by, note=note or f"Merged into job {into.pk}.", public=False)
        moved = Report.objects.filter(job=locked_source).update(job=locked_into)
        Job.objects.filter(merged_into=locked_source).update(merged_into=locked_into)
        kept = _keep_more_urgent(locked_into, locked_source)
        live = locked_into.reports.live().count()
        _record(
            locked_into,
            action="merge_in",
            source=locked_into.state,
            by=by,
            note=f"Job {source.pk} merged into this job; {moved} report(s) moved.{kept}",
            public=moved > 0,
            public_note=f"This fault has now been reported {times_in_words(live)}." if moved else "",
            announce=False,  # not a change of state: receivers of job_transitioned need not hear of it
        )
    _sync_state(source, JobState.MERGED)
    return locked_into


def change_priority(
    job: Job,
    priority: Priority,
    *,
    by: AbstractBaseUser | None,
    note: str,
    reported_at: datetime.datetime | None = None,
) -> Job:
    """Give an open job another priority and recompute its due date; return the saved job.

    The due date is counted from `reported_at`, by default the job's report time (`created_at`): a
    job triaged as more urgent was that urgent when reported. A more urgent communal report passes its
    own time, so the new clock starts when the urgency was made known. A raise never moves the due
    date later; a lowering may. Staff need the triage permission and a note; an event records it.
    """
    if by is not None and not by.has_perm("workflows.triage_job"):
        raise TransitionNotPermitted("You do not have permission to change a job's priority.")
    if by is not None and not note.strip():
        raise TransitionNotAllowed("Change priority: say why in the note.")
    with transaction.atomic():
        locked = _lock(job.pk, job.state)
        if not locked.is_open:
            raise TransitionNotAllowed(
                f"Job {job.pk} is {locked.get_state_display().lower()}: only an open job's priority changes."
            )
        previous, previous_due = locked.priority, locked.due_at
        if previous.pk == priority.pk:
            return locked
        new_due = due_at(priority=priority, reported_at=reported_at or locked.created_at)
        raised = not previous.is_more_urgent_than(priority)
        if raised and previous_due is not None:
            new_due = min(new_due, previous_due)
        locked.priority, locked.due_at = priority, new_due
        locked.save(update_fields=["priority", "due_at", "updated_at"])
        _record(
            locked,
            action="priority_changed",
            source=locked.state,
            by=by,
            note=f"Priority {previous.code} → {priority.code}; due {_when(previous_due)} → {_when(new_due)}. "
            + note.strip(),
            public=False,
            announce=False,
        )
    job.priority, job.due_at = locked.priority, locked.due_at
    return locked


def flag_attention(job: Job, reason: str, *, by: AbstractBaseUser | None = None) -> None:
    """Show the job to staff as needing attention (kept from the first flag until it is dealt with)."""
    now = timezone.now()
    flagged = Job.objects.filter(pk=job.pk, needs_attention_since__isnull=True).update(
        needs_attention_since=now, attention_reason=reason[:255]
    )
    if flagged:
        job.needs_attention_since, job.attention_reason = now, reason[:255]
        _record(
            job, action="needs_attention", source=job.state, by=by, note=reason, public=False, announce=False
        )


def acknowledge_attention(job: Job, *, by: AbstractBaseUser | None, note: str = "") -> None:
    """Staff have looked at a flagged job and it may wait (still on hold for parts, say)."""
    if by is not None and not by.has_perm("workflows.triage_job"):
        raise TransitionNotPermitted("You do not have permission to clear a job's attention flag.")
    with transaction.atomic():
        cleared = Job.objects.filter(pk=job.pk, needs_attention_since__isnull=False).update(
            needs_attention_since=None, attention_reason=""
        )
        if cleared:
            _record(
                job,
                action="attention_acknowledged",
                source=job.state,
                by=by,
                note=note,
                public=False,
                announce=False,
            )
    job.needs_attention_since, job.attention_reason = None, ""


def _check_same_fault(source: Job, into: Job, *, force: bool, note: str) -> None:
    differences = []
    if (source.property_id, source.communal_area_id) != (into.property_id, into.communal_area_id):
        differences.append(f"at {source.location} and {into.location}")
    if source.trade_id != into.trade_id:
        differences.append(f"for {source.trade} and {into.trade}")
    if not differences:
        return
    what = f"Jobs {source.pk} and {into.pk} are " + " and ".join(differences)
    if not force:
        raise TransitionNotAllowed(
            f"{what}: only duplicates of one fault are merged. If they truly are one fault, force the "
            "merge and say why in the note."
        )
    if not note.strip():
        raise TransitionNotAllowed(f"{what}: say in the note why they are one fault.")


def _keep_more_urgent(into: Job, source: Job) -> str:
    """The survivor takes the more urgent priority and the earlier due date; say what changed."""
    changed = []
    if source.priority.is_more_urgent_than(into.priority):
        into.priority = source.priority
        changed.append(f"priority now {source.priority.code}")
    if source.due_at is not None and (into.due_at is None or source.due_at < into.due_at):
        into.due_at = source.due_at
        changed.append(f"due {_when(source.due_at)}")
    if not changed:
        return ""
    into.save(update_fields=["priority", "due_at", "updated_at"])
    return " Kept from the merged job: " + ", ".join(changed) + "."


def times_in_words(count: int) -> str:
    return "once" if count == 1 else "twice" if count == 2 else f"{count} times"


def _when(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d %b %Y %H:%M") if moment else "not set"


def _lock(pk: int, seen_state: str) -> JobLifecycle:
    # `of=("self",)`: lock the job's row only, not the priority row every job of that priority shares.
    try:
        locked = JobLifecycle.objects.select_for_update(of=("self",)).select_related("priority").get(pk=pk)
    except JobLifecycle.DoesNotExist:
        raise TransitionNotAllowed(f"Job {pk} no longer exists.") from None
    if locked.state != seen_state:
        raise ConcurrentChange(_changed_message(pk, locked.state))
    return locked


def _changed_message(pk: int, state: str) -> str:
    return (
        f"Job {pk} was changed by someone else while you were looking at it (it is now "
        f"{JobState(state).label.lower()}). Reload the job and try again."
    )


def _apply(
    job: JobLifecycle,
    action: str,
    *,
    by: AbstractBaseUser | None,
    note: str,
    public: bool | None,
    public_note: str = "",
) -> JobEvent:
    method = getattr(job, action)
    meta = method._django_fsm
    source = job.state
    chosen = meta.get_transition(source)
    label = (chosen.custom.get("label") if chosen else None) or action.replace("_", " ").capitalize()
    if chosen is None:
        raise TransitionNotAllowed(f"{label} is not possible: the job is {job.get_state_display().lower()}.")
    unmet = [c for c in chosen.conditions if not c(job)]
    if unmet:
        reason = CONDITION_MESSAGES.get(unmet[0], "its conditions are not met")
        raise TransitionNotAllowed(f"{label} is not possible: {reason}.")
    if by is not None and not has_transition_perm(method, by):
        raise TransitionNotPermitted(f"You do not have permission to {label.lower()} a job.")
    if chosen.custom.get("needs_note") and not note.strip():
        raise TransitionNotAllowed(f"{label}: say why in the note.")
    method()
    # Staff act on the job now, so whatever flagged it for attention has been seen to.
    job.needs_attention_since, job.attention_reason = None, ""
    try:
        job.save()
    except ConcurrentTransition:
        raise ConcurrentChange(_changed_message(job.pk, source)) from None
    return _record(
        job, action=action, source=source, by=by, note=note, public=public, public_note=public_note
    )


def _record(
    job: Job,
    *,
    action: str,
    source: str,
    by: AbstractBaseUser | None,
    note: str,
    public: bool | None,
    public_note: str = "",
    announce: bool = True,
) -> JobEvent:
    if public is None:
        public = is_public_by_default(action)
    event = JobEvent.objects.create(
        job=job,
        actor=by,
        actor_name=(by.get_full_name() or by.get_username()) if by is not None else "",
        action=action,
        from_state=source,
        to_state=job.state,
        note=note.strip(),
        is_public=public,
        public_note=public_note.strip(),
    )
    if announce:
        details = {
            "job_id": job.pk,
            "event_id": event.pk,
            "action": action,
            "source": source,
            "target": job.state,
        }
        transaction.on_commit(lambda: _announce(**details))
    return event


def _announce(**kwargs) -> None:
    """Receivers run after commit; one that fails is logged and cannot undo the change or stop the others."""
    for receiver, result in job_transitioned.send_robust(sender=Job, **kwargs):
        if isinstance(result, Exception):
            logger.error("job_transitioned receiver %r failed", receiver, exc_info=result)


def _sync_state(job: Job, state: str) -> None:
    """Bring the caller's object up to date; the field is protected, so go through the FSM field."""
    Job._meta.get_field("state").set_state(job, state)
    job._update_initial_state()
