"""The broker settings the fault drills rely on (docs/deploy.md, Fault drills)."""

from __future__ import annotations

from django.conf import settings

from notifications.sending import MAX_ATTEMPTS, backoff_seconds
from scheduling.tasks import CANCEL_RETRY_DELAYS


def test_a_task_waiting_for_its_countdown_is_never_handed_to_a_second_worker():
    longest_notify_wait = max(
        backoff_seconds(attempt) for attempt in range(1, MAX_ATTEMPTS + 1) for _ in range(50)
    )
    longest = max(*CANCEL_RETRY_DELAYS, longest_notify_wait)
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > longest


def test_tasks_are_acknowledged_after_they_run_and_given_back_when_their_worker_dies():
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
