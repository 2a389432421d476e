"""Reads about the lifecycle that the back office and APIs share: what may be done to a job now."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from repairs.models import Job

from .models import JobEvent, JobLifecycle

# Merging needs a second job, so it has its own screen rather than a button among the others.
NOT_OFFERED = frozenset({"merge"})


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    needs_note: bool


def as_lifecycle(job: Job) -> JobLifecycle:
    """The same row seen through the proxy that carries the transitions, without another query."""
    if isinstance(job, JobLifecycle):
        return job
    lifecycle = JobLifecycle.__new__(JobLifecycle)
    lifecycle.__dict__.update(job.__dict__)
    return lifecycle


def available_actions(job: Job, user: AbstractBaseUser | None) -> list[Action]:
    """Actions allowed from the job's state whose conditions hold, and, for a user, that they may make."""
    lifecycle = as_lifecycle(job)
    transitions = (
        lifecycle.get_available_state_transitions()
        if user is None
        else lifecycle.get_available_user_state_transitions(user)
    )
    return [
        Action(t.name, t.custom.get("label", t.name), bool(t.custom.get("needs_note")))
        for t in transitions
        if t.name not in NOT_OFFERED
    ]


def job_history(job: Job, *, public_only: bool = False):
    """The job's events, oldest first; `public_only` for what a resident may see."""
    events = JobEvent.objects.filter(job=job).select_related("actor").order_by("occurred_at", "id")
    return events.filter(is_public=True) if public_only else events
