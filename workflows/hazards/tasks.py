"""The beat task that watches hazard clocks: staff alerts at 50% and 80% of each clock, and breaches.

Each alert is an internal job event (`hazard_clock_alert`, `hazard_clock_breached`) recorded once per
stage and threshold; the notifications app's rules for those events write the staff messages to the
outbox in the same transaction, so `workflows` never imports `notifications`. Runs every few minutes
(CELERY_BEAT_SCHEDULE in config/settings.py); running it twice sends nothing twice.
"""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from .models import HazardStage
from .selectors import stages_to_watch
from .services import alert_stage

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def watch_hazard_clocks() -> int:
    now = timezone.now()
    count = 0
    for stage in (
        stages_to_watch()
        .only("pk", "starts_at", "due_at", "alerted_half_at", "alerted_most_at", "breached_at")
        .iterator()
    ):
        if not _has_news(stage, now):
            continue
        try:
            count += len(alert_stage(stage.pk, now=now))
        except Exception:
            logger.exception("Hazard clock %s could not be checked", stage.pk)
    return count


def _has_news(stage: HazardStage, now: datetime.datetime) -> bool:
    share = stage.share_elapsed(now)
    return (
        (now > stage.due_at and stage.breached_at is None)
        or (share >= 0.8 and stage.alerted_most_at is None)
        or (share >= 0.5 and stage.alerted_half_at is None)
    )
