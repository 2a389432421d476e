"""Moving a job through the lifecycle from scheduling, asking `workflows` which moves apply.

Scheduling never copies the lifecycle's rules (which states a job may be scheduled from, and so on):
it names the moves it wants in order and takes each one `workflows.selectors.available_actions`
offers now. A completion from "scheduled" is start_work then complete; from "in progress" only
complete applies; from anywhere else nothing does.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser

from repairs.models import Job
from workflows.errors import LifecycleError
from workflows.selectors import available_actions
from workflows.services import transition_job

logger = logging.getLogger(__name__)


def can_move(job: Job, action: str) -> bool:
    """Whether `action` is allowed from the job's state now and its conditions hold."""
    return any(a.name == action for a in available_actions(job, None))


def advance(
    job: Job,
    actions: Sequence[str],
    *,
    note: str = "",
    by: AbstractBaseUser | None = None,
    quiet: frozenset[str] = frozenset(),
) -> Job:
    """Apply each of `actions` in turn where the lifecycle allows it now; skip the others.

    Moves named in `quiet` are recorded as not public (a public appointment event says it better);
    the others follow the lifecycle's own default. For the system (`by=None`) a refusal (someone else
    moved the job meanwhile) is logged, not raised: the job is where it is.
    """
    for action in actions:
        job.refresh_from_db(fields=["state"])
        if not can_move(job, action):
            continue
        try:
            extra = {"public": False} if action in quiet else {}
            job = transition_job(job, action, by=by, note=note, **extra)
        except LifecycleError as error:
            if by is not None:
                raise
            logger.info("Job %s: %s not applied: %s", job.pk, action, error)
    return job
