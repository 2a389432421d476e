"""/metrics/ gives Prometheus request counts and how much work is waiting, to allowed scrapers only."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from notifications.models import Message, MessageStatus
from scheduling.models import NeedsBooking
from tests.repairs.factories import JobFactory

pytestmark = pytest.mark.django_db


def gauge(body: str, name: str) -> float:
    match = re.search(rf"^{name} (\S+)$", body, re.MULTILINE)
    assert match, f"{name} missing"
    return float(match.group(1))


def message(job, status: str, n: int) -> Message:
    return Message.objects.create(
        job=job,
        purpose="test",
        audience="reporters",
        channel="email",
        recipient="a@example.invalid",
        template_id="t",
        dedupe_key=f"k{n}",
        status=status,
    )


@pytest.fixture
def open_scraper(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    return settings


def test_the_gauges_count_waiting_work(client, open_scraper):
    now = timezone.now()
    late = JobFactory(due_at=now - datetime.timedelta(days=1))
    JobFactory(due_at=now + datetime.timedelta(days=1))
    JobFactory(due_at=now - datetime.timedelta(days=1), state="closed")
    NeedsBooking.objects.create(job=late, reason="DRS down")
    NeedsBooking.objects.create(job=late, reason="done", resolved_at=now)
    message(late, MessageStatus.QUEUED, 1)
    message(late, MessageStatus.SENDING, 2)
    message(late, MessageStatus.DELIVERED, 3)

    body = client.get("/metrics/").content.decode()

    assert gauge(body, "repairs_jobs_past_due") == 1
    assert gauge(body, "repairs_needs_booking_queue_depth") == 1
    assert gauge(body, "repairs_notifications_outbox_backlog") == 2


def test_request_metrics_are_exported(client, open_scraper):
    client.get("/health/")

    body = client.get("/metrics/").content.decode()

    assert "django_http_requests_total_by_view_transport_method_total" in body
    assert 'view="health"' in body


def test_the_gauges_cost_three_queries(client, open_scraper, django_assert_max_num_queries):
    JobFactory.create_batch(3, due_at=timezone.now() - datetime.timedelta(days=1))

    with django_assert_max_num_queries(3):
        client.get("/metrics/")


def test_a_scraper_outside_the_allow_list_without_a_token_is_refused(client, settings):
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]

    assert client.get("/metrics/").status_code == 403
    assert client.get("/metrics/", headers={"Authorization": "Bearer wrong"}).status_code == 403


def test_the_token_lets_a_scraper_in(client, settings):
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    settings.METRICS_ALLOWED_IPS = []

    response = client.get("/metrics/", headers={"Authorization": "Bearer s3cret-scrape-token"})

    assert response.status_code == 200
    assert "repairs_jobs_past_due" in response.content.decode()


def test_an_allowed_network_lets_a_scraper_in(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.1.0.0/16"]

    assert client.get("/metrics/", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics/", REMOTE_ADDR="10.2.0.1").status_code == 403
