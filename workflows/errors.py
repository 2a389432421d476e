"""Errors the lifecycle raises, each with a message fit to show the member of staff who asked."""

from __future__ import annotations


class LifecycleError(Exception):
    """Base for every refusal by the lifecycle, so a view can catch one type and show its message."""


class TransitionNotAllowed(LifecycleError):
    """The action does not exist, is not allowed from the job's state, or its conditions are not met."""


class TransitionNotPermitted(TransitionNotAllowed):
    """The person asking lacks the permission the transition declares."""


class ConcurrentChange(LifecycleError):
    """Someone else changed the job first; the caller should reload it and decide again."""
