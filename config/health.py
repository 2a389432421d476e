"""The health endpoint for load balancers and monitoring: database, cache, storage and, when one is
configured, the Celery broker. django-health-check runs the checks; we choose which, and add the broker.

The broker check opens a connection rather than pinging workers (django-health-check's Celery check),
so a deploy with the workers stopped for a moment still serves traffic: reports wait in the broker.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from health_check import checks
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Broker(HealthCheck):
    """Celery's broker accepts a connection within the timeout."""

    timeout = datetime.timedelta(seconds=3)

    def run(self) -> None:
        from config.celery import app

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=self.timeout.total_seconds())
        except Exception as error:  # kombu raises its own, redis's or socket errors
            raise ServiceUnavailable("Broker unreachable") from error


def configured_checks() -> list:
    """The checks this install needs: no broker in the embedded run (tasks run in-process)."""
    chosen: list = [checks.Database, checks.Cache, checks.Storage]
    if settings.CELERY_BROKER_URL:
        chosen.append(Broker)
    return chosen


class HealthView(HealthCheckView):
    def get_checks(self):
        return [check() for check in configured_checks()]
