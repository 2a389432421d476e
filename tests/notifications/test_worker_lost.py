"""A real Celery worker process on the local Redis, killed mid-send and replaced: every message still
reaches Notify exactly once (the fake counts what it accepts under each reference)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

from config.celery import app
from notifications.models import Message, MessageStatus, Trigger
from notifications.tasks import sweep_unsent
from tests.celery_support import _forget_broker_connections
from tests.notifications.conftest import make_rule
from tests.notifications.fake_notify import FakeNotify, running
from tests.repairs.factories import CommunalJobFactory, ReportFactory
from workflows.services import record_event

ROOT = Path(__file__).resolve().parents[2]
BROKER_URL = os.environ.get("NOTIFY_BROKER_TEST_URL", "redis://127.0.0.1:6379/12")
LIMIT_URL = os.environ.get("NOTIFY_REDIS_TEST_URL", "redis://127.0.0.1:6379/13")
CLAIM_TIMEOUT = 3

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(fake: FakeNotify, name: str) -> subprocess.Popen:
    env = dict(
        os.environ,
        DEBUG="true",
        SECRET_KEY="test-only-secret-key",
        DATABASE_URL=database_url(),
        CONN_MAX_AGE="0",
        CELERY_BROKER_URL=BROKER_URL,
        NOTIFY_API_KEY=fake.api_key,
        NOTIFY_BASE_URL=fake.url,
        NOTIFY_TIMEOUT="60",
        NOTIFY_RATE_REDIS_URL=LIMIT_URL,
        NOTIFY_CLAIM_TIMEOUT=str(CLAIM_TIMEOUT),
    )
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        f"--hostname={name}@%h",
    ]
    command += ["--without-mingle", "--without-gossip", "--without-heartbeat", "--loglevel=WARNING"]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def wait_until(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def broker():
    client = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        if os.environ.get("CI") or os.environ.get("REQUIRE_BROKER"):
            pytest.fail(f"Redis is not reachable at {BROKER_URL}")
        pytest.skip(f"Redis is not reachable at {BROKER_URL}")
    client.flushdb()
    redis.Redis.from_url(LIMIT_URL).flushdb()
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=BROKER_URL, task_always_eager=False)
    _forget_broker_connections()  # eager tasks earlier in the session opened pools on the default broker
    yield client
    app.conf.update(saved)
    _forget_broker_connections()
    client.flushdb()


def test_a_worker_killed_mid_send_and_replaced_delivers_every_message_exactly_once(broker, settings):
    settings.NOTIFY_CLAIM_TIMEOUT = CLAIM_TIMEOUT
    settings.NOTIFY_SWEEP_AFTER = 0
    from notifications.models import NotificationRule

    NotificationRule.objects.update(is_active=False)
    make_rule(trigger=Trigger.EVENT, event="appointment_booked", state="", personalisation="reference")
    job = CommunalJobFactory()
    for n in range(5):
        ReportFactory(job=job, contact_email=f"neighbour{n}@example.invalid")

    fake = FakeNotify()
    fake.script("ok", "ok", "hang")  # Notify accepts the third, and the worker dies before the answer
    workers = []
    try:
        with running(fake) as url:
            fake.url = url
            record_event(job, "appointment_booked", public=True)  # commits: five tasks go to Redis
            assert Message.objects.filter(status=MessageStatus.QUEUED).count() == 5

            workers.append(start_worker(fake, "first"))
            wait_until(lambda: len(fake.accepted) == 3, 60, "the third send to reach Notify")
            os.killpg(workers[0].pid, signal.SIGKILL)
            workers[0].wait(10)
            cut_off = Message.objects.get(reference=fake.accepted[2]["reference"])
            assert cut_off.status == MessageStatus.SENDING

            workers.append(start_worker(fake, "second"))
            time.sleep(CLAIM_TIMEOUT + 0.5)
            assert sweep_unsent() >= 1  # beat's sweeper hands the abandoned rows to the new worker
            wait_until(
                lambda: Message.objects.filter(status=MessageStatus.SENT).count() == 5, 60, "all five sent"
            )
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(20)

    references = set(Message.objects.values_list("reference", flat=True))
    assert {n["reference"] for n in fake.accepted} == references
    assert len(fake.accepted) == 5
    assert all(len(fake.by_reference[ref]) == 1 for ref in references)
    assert cut_off.reference in fake.lookups  # found at Notify by its reference, not sent again
    cut_off.refresh_from_db()
    assert cut_off.notify_id == fake.accepted[2]["id"]
