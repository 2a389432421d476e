"""Reads about the lifecycle that the back office and APIs share: what may be done to a job now."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q

from repairs.models import Job, JobQuerySet

from .models import JobEvent, JobLifecycle

# Merging needs a second job, so it has its own screen rather than a button among the others.
NOT_OFFERED = frozenset({"merge"})


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    needs_note: bool
    asks_public_reason: bool = False


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
        Action(
            t.name,
            t.custom.get("label", t.name),
            bool(t.custom.get("needs_note")),
            bool(t.custom.get("asks_public_reason")),
        )
        for t in transitions
        if t.name not in NOT_OFFERED
    ]


def job_history(job: Job, *, public_only: bool = False, with_follow_ups: bool = False):
    """The job's events, oldest first; `public_only` for what a resident may see.

    `with_follow_ups` adds the events of the follow-on and recall jobs that come after this one, so a
    resident following the first job also sees the visit that finishes it.
    """
    where = Q(job=job)
    if with_follow_ups:
        # The jobs first, in a subquery: an OR across the join to jobs made PostgreSQL scan every event
        # (about 7 s a status page at a million jobs); this reads three indexes instead.
        where = Q(job__in=Job.objects.filter(Q(pk=job.pk) | Q(follows=job)).values("pk"))
    events = JobEvent.objects.filter(where).select_related("actor").order_by("occurred_at", "id")
    return events.filter(is_public=True) if public_only else events


def entered_state_at(job: Job) -> datetime.datetime:
    """When the job entered its present state (its creation, when no transition is recorded)."""
    event = (
        JobEvent.objects.filter(job=job, to_state=job.state)
        .exclude(from_state=job.state)
        .order_by("-occurred_at", "-id")
        .first()
    )
    return event.occurred_at if event else job.created_at


def jobs_needing_attention() -> JobQuerySet:
    """Open jobs flagged for staff (new reports on a long hold, a last report withdrawn after work
    started), longest waiting first. The flag clears on the job's next transition or when acknowledged."""
    return (
        Job.objects.needing_attention()
        .select_related("priority", "trade", "property", "communal_area")
        .order_by("needs_attention_since", "id")
    )
