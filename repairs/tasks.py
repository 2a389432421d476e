"""Celery tasks of the repairs app."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def apply_retention() -> int:
    """Nightly: personal data leaves reports whose job ended more than the retention period ago."""
    from .personal_data import apply_retention as run

    removal = run()
    logger.info("retention removed personal data from %s reports, %s photos", removal.reports, removal.photos)
    return removal.reports
