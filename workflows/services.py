"""Writes of the lifecycle: moving a job through its states and merging duplicate jobs.

Every change here runs in one transaction that holds the job's row lock (`select_for_update`), checks
that the job is still in the state the caller saw (two people acting on one job: the second is told,
never silently overruled), checks the permission the transition declares, saves through
`ConcurrentTransitionMixin` (the UPDATE is filtered on the old state, a second guard), writes a
`JobEvent`, and sends `job_transitioned` only once the transaction has committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_fsm import ConcurrentTransition, has_transition_perm

from repairs.models import Job, JobState, Report

from .errors import ConcurrentChange, TransitionNotAllowed, TransitionNotPermitted
from .events import job_transitioned
from .models import JobEvent, JobLifecycle, has_merge_target, is_emergency

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
    public: bool = False,
    public_note: str = "",
) -> Job:
    """Apply `action` (a transition name such as "triage") to `job` and return the saved job.

    `by=None` means the system (an inbound scheduler update) and skips the permission check. The
    caller's `job` object is brought up to date with the new state as well. `note` is for staff;
    `public_note` is what residents read beside a public event.
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
    public: bool = False,
    public_note: str = "",
) -> JobEvent:
    """Record something that happened to `job` without changing its state (an appointment moved, a
    neighbour reported the same fault). Call it inside the transaction that made the change."""
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


def merge_jobs(source: Job, into: Job, *, by: AbstractBaseUser | None, note: str = "") -> Job:
    """Merge the duplicate `source` into `into`: every report moves, `source` ends `merged`.

    Reporters keep their references and status links: a report follows whichever job it belongs to,
    and jobs already merged into `source` are pointed at `into` so no chain is left behind.
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
        locked_source.merged_into = locked_into
        _apply(locked_source, "merge", by=by, note=note or f"Merged into job {into.pk}.", public=False)
        moved = Report.objects.filter(job=locked_source).update(job=locked_into)
        Job.objects.filter(merged_into=locked_source).update(merged_into=locked_into)
        _record(
            locked_into,
            action="merge_in",
            source=locked_into.state,
            by=by,
            note=f"Job {source.pk} merged into this job; {moved} report(s) moved.",
            public=False,
            announce=False,  # not a change of state: receivers of job_transitioned need not hear of it
        )
    _sync_state(source, JobState.MERGED)
    return locked_into


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
    public: bool,
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
    public: bool,
    public_note: str = "",
    announce: bool = True,
) -> JobEvent:
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
