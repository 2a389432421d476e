"""Drill: Redis, the broker and the cache, goes down and comes back empty.

Redis is killed (nothing saved: a task already waiting in it is lost too). While it is gone residents
still report repairs through the API: each answer comes back at once with a reference, the status page
still opens, and the messages to send wait in PostgreSQL's outbox. When Redis is back, beat's sweep
queues the waiting messages again and a worker sends each one exactly once, including the one whose
task Redis lost.
"""

from __future__ import annotations

import time

import pytest

from notifications.models import Message, MessageStatus, NotificationRule, Trigger
from notifications.tasks import sweep_unsent
from repairs.models import Report
from tests.api.conftest import key_secret, register  # noqa: F401  (fixtures)
from tests.drills.support import private_redis, start_worker, stop_worker, tasks_sent_to, wait_until
from tests.notifications.conftest import make_rule
from tests.notifications.fake_notify import FakeNotify, running

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WHILE_DOWN = 3
PATIENCE = 3.0  # seconds a resident may wait for an answer while Redis is down


def book(client, secret: str, address_id: str, n: int):
    body = {
        "address_id": address_id,
        "repair": {"trade": "PL", "priority": "RO", "size": "S", "description": f"Drill drip {n}"},
        "contact": {"name": f"Resident {n}", "email": f"drill-redis{n}@example.invalid", "updates": "email"},
        "slot": None,
    }
    started = time.monotonic()
    answer = client.post(
        "/api/v1/repairs",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        HTTP_IDEMPOTENCY_KEY=f"drill-redis-{n}",
    )
    return answer, time.monotonic() - started


def test_reports_are_accepted_while_redis_is_down_and_their_messages_sent_once_it_is_back(
    client,
    settings,
    register,  # noqa: F811
    key_secret,  # noqa: F811
):
    NotificationRule.objects.update(is_active=False)
    make_rule(trigger=Trigger.EVENT, event="report_received", state="", personalisation="reference")
    secret = key_secret("book")
    home = register["homes"][0].property_ref
    fake = FakeNotify()
    with private_redis() as redis_server, running(fake) as url, tasks_sent_to(redis_server.url(0)):
        settings.CACHES = {
            "default": {
                "BACKEND": "config.cache.ForgivingRedisCache",
                "LOCATION": redis_server.url(1),
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        settings.NOTIFY_SWEEP_AFTER = 0

        first, _ = book(client, secret, home, 0)  # Redis up: its task waits in the broker
        assert first.status_code == 201, first.content
        redis_server.kill()

        waits = []
        for n in range(1, WHILE_DOWN + 1):
            answer, seconds = book(client, secret, home, n)
            assert answer.status_code == 201, answer.content
            waits.append(seconds)
        status_page = client.get(answer.json()["status_url"])
        assert status_page.status_code == 200
        assert Report.objects.count() == WHILE_DOWN + 1
        assert Message.objects.filter(status=MessageStatus.QUEUED).count() == WHILE_DOWN + 1

        redis_server.start()  # back, and empty
        env = {"NOTIFY_API_KEY": fake.api_key, "NOTIFY_BASE_URL": url, "NOTIFY_RATE_REDIS_URL": ""}
        worker = start_worker("drill-redis", broker_url=redis_server.url(0), **env)
        try:
            swept = sweep_unsent()  # what beat runs every minute
            wait_until(
                lambda: Message.objects.filter(status=MessageStatus.SENT).count() == WHILE_DOWN + 1,
                60,
                "every waiting message to be sent",
            )
        finally:
            stop_worker(worker)

    print(f"\nanswers while Redis was down took {', '.join(f'{s:.2f}s' for s in waits)}; swept {swept}")
    assert max(waits) < PATIENCE
    assert swept == WHILE_DOWN + 1  # the three never queued, and the one Redis lost
    references = set(Message.objects.values_list("reference", flat=True))
    assert {n["reference"] for n in fake.accepted} == references
    assert all(fake.posts_by_reference[ref] == 1 for ref in references)
