"""Prometheus metrics: django-prometheus counts requests and latencies; our gauges say how much work is
waiting. The gauges are three COUNT queries run when Prometheus scrapes, never kept up to date on
every write, so they cost nothing between scrapes.

The endpoint says how busy the council is, so it is closed unless a scraper shows METRICS_TOKEN as a
bearer token or comes from an address in METRICS_ALLOWED_IPS.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector


def work_waiting() -> dict[str, int]:
    """How much work is waiting now: one aggregate query each."""
    from notifications.models import UNSENT_STATUSES, Message
    from repairs.models import Job
    from scheduling.models import NeedsBooking

    return {
        "needs_booking": NeedsBooking.objects.waiting().count(),
        "outbox_unsent": Message.objects.filter(status__in=UNSENT_STATUSES).count(),
        "jobs_past_due": Job.objects.overdue(timezone.now()).count(),
    }


class WorkWaitingCollector(Collector):
    """Read at scrape time by prometheus_client."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        counts = work_waiting()
        yield GaugeMetricFamily(
            "repairs_needs_booking_queue_depth",
            "Jobs waiting for a scheduler booking (retried or for staff).",
            value=counts["needs_booking"],
        )
        yield GaugeMetricFamily(
            "repairs_notifications_outbox_backlog",
            "Messages in the Notify outbox not yet accepted by Notify.",
            value=counts["outbox_unsent"],
        )
        yield GaugeMetricFamily(
            "repairs_jobs_past_due", "Open jobs past their due date.", value=counts["jobs_past_due"]
        )


_collector = WorkWaitingCollector()


def register_collector() -> None:
    """Add our gauges to the default registry once (the URLconf may be imported more than once)."""
    if _collector not in getattr(REGISTRY, "_collector_to_names", {}):
        REGISTRY.register(_collector)


def scraper_allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if given and hmac.compare_digest(given.encode(), token.encode()):
            return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOWED_IPS)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not scraper_allowed(request):
        return HttpResponse("Forbidden: set METRICS_TOKEN or METRICS_ALLOWED_IPS.\n", status=403)
    register_collector()
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
