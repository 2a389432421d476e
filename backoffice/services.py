"""Writes the back office makes beside the lifecycle's own: a job's trade and size, its costs, a staff
note, and bulk transitions. State changes still go through `workflows.services.transition_job` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from repairs.models import OPEN_STATES, Job, JobState, Trade
from workflows.errors import LifecycleError, TransitionNotAllowed, TransitionNotPermitted
from workflows.services import record_event, transition_job

COSTED_STATES = {JobState.IN_PROGRESS, JobState.COMPLETED}


def change_trade_and_size(job: Job, *, trade: Trade, size: str, by: AbstractBaseUser, note: str) -> Job:
    """Correct an open job's trade or size at triage; an internal event says what changed and why."""
    if not by.has_perm("workflows.triage_job"):
        raise TransitionNotPermitted("You do not have permission to change a job's trade or size.")
    if not note.strip():
        raise TransitionNotAllowed("Change trade or size: say why in the note.")
    with transaction.atomic():
        locked = Job.objects.select_for_update(of=("self",)).select_related("trade").get(pk=job.pk)
        if locked.state not in OPEN_STATES:
            raise TransitionNotAllowed(
                f"Job {job.pk} is {locked.get_state_display().lower()}: it cannot change."
            )
        changes = []
        if locked.trade_id != trade.pk:
            changes.append(f"trade {locked.trade.name} → {trade.name}")
        if locked.size != size:
            changes.append(f"size {locked.size} → {size}")
        if not changes:
            return locked
        locked.trade, locked.size = trade, size
        locked.save(update_fields=["trade", "size", "updated_at"])
        record_event(
            locked, "details_changed", by=by, note="Changed " + ", ".join(changes) + ". " + note.strip()
        )
    job.trade, job.size = locked.trade, locked.size
    return locked


def record_costs(
    job: Job,
    *,
    by: AbstractBaseUser,
    estimated_cost: Decimal | None = None,
    actual_cost: Decimal | None = None,
) -> Job:
    """The estimate is set while the job is open (at triage); the actual cost once work is under way or
    done. Each change is an internal event, so the history shows who priced it."""
    with transaction.atomic():
        locked = Job.objects.select_for_update(of=("self",)).get(pk=job.pk)
        changed = []
        if estimated_cost is not None and estimated_cost != locked.estimated_cost:
            if not by.has_perm("workflows.triage_job"):
                raise TransitionNotPermitted("You do not have permission to set a job's estimated cost.")
            if locked.state not in OPEN_STATES:
                raise TransitionNotAllowed("The estimate is set while the job is open.")
            locked.estimated_cost = estimated_cost
            changed.append(f"estimated cost £{estimated_cost}")
        if actual_cost is not None and actual_cost != locked.actual_cost:
            if not (by.has_perm("workflows.complete_job") or by.has_perm("workflows.close_job")):
                raise TransitionNotPermitted("You do not have permission to set a job's actual cost.")
            if locked.state not in COSTED_STATES:
                raise TransitionNotAllowed(
                    "The actual cost is set when the work is done, before the job closes."
                )
            locked.actual_cost = actual_cost
            changed.append(f"actual cost £{actual_cost}")
        if changed:
            locked.save(update_fields=["estimated_cost", "actual_cost", "updated_at"])
            record_event(locked, "costs_recorded", by=by, note="Recorded " + ", ".join(changed) + ".")
    job.estimated_cost, job.actual_cost = locked.estimated_cost, locked.actual_cost
    return locked


def add_staff_note(job: Job, *, by: AbstractBaseUser, note: str) -> None:
    """An internal note on the job's history; residents never see it."""
    if not note.strip():
        raise TransitionNotAllowed("Write the note.")
    with transaction.atomic():
        record_event(job, "staff_note", by=by, note=note, public=False)


@dataclass(frozen=True)
class BulkOutcome:
    job_id: int
    done: bool
    message: str


def transition_many(
    jobs: list[Job], action: str, *, by: AbstractBaseUser, note: str = "", public_note: str = ""
) -> list[BulkOutcome]:
    """Apply one action to each job in turn: each is checked and recorded on its own, and one refusal
    (wrong state, no permission, changed meanwhile) does not stop or undo the others."""
    outcomes = []
    for job in jobs:
        try:
            transition_job(job, action, by=by, note=note, public_note=public_note)
        except LifecycleError as error:
            outcomes.append(BulkOutcome(job.pk, False, str(error)))
        else:
            outcomes.append(BulkOutcome(job.pk, True, f"Job {job.pk}: done."))
    return outcomes
