"""Drill: a Celery worker is killed (SIGKILL, parent and child) while Notify is taking a message.

Notify accepts the message but the worker dies before the answer arrives. The task was taken with a
late acknowledgement, so the broker still holds it; once its visibility timeout has passed a new
worker takes it again. Its claim on the message has gone stale, so it asks Notify for the message's
reference first, finds it, and records it as sent: each message reaches Notify exactly once, with no
help from beat's sweeper.
"""

from __future__ import annotations

import pytest

from notifications.models import Message, MessageStatus, NotificationRule, Trigger
from tests.drills.support import (
    kill_worker,
    private_redis,
    start_worker,
    stop_worker,
    tasks_sent_to,
    wait_until,
)
from tests.notifications.conftest import make_rule
from tests.notifications.fake_notify import FakeNotify, running
from tests.repairs.factories import CommunalJobFactory, ReportFactory
from workflows.services import record_event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NEIGHBOURS = 3


def test_a_task_cut_off_by_a_killed_worker_is_redelivered_and_its_message_sent_once():
    NotificationRule.objects.update(is_active=False)
    make_rule(trigger=Trigger.EVENT, event="appointment_booked", state="", personalisation="reference")
    job = CommunalJobFactory()
    for n in range(NEIGHBOURS):
        ReportFactory(job=job, contact_email=f"drill-neighbour{n}@example.invalid")
    fake = FakeNotify()
    fake.script("ok", "hang")  # Notify takes the second message, and its worker dies before the answer
    workers = []
    with private_redis() as redis_server, running(fake) as url, tasks_sent_to(redis_server.url(0)):
        env = {
            "NOTIFY_API_KEY": fake.api_key,
            "NOTIFY_BASE_URL": url,
            "NOTIFY_TIMEOUT": "60",
            "NOTIFY_RATE_REDIS_URL": redis_server.url(1),
            "NOTIFY_CLAIM_TIMEOUT": "3",
            "CELERY_VISIBILITY_TIMEOUT": "4",
            "CELERY_RESTORE_SECONDS": "1",
        }
        try:
            record_event(job, "appointment_booked", public=True)  # commits: the tasks go to the broker
            assert Message.objects.filter(status=MessageStatus.QUEUED).count() == NEIGHBOURS

            workers.append(start_worker("drill-first", broker_url=redis_server.url(0), **env))
            wait_until(lambda: len(fake.accepted) == 2, 60, "the second message to reach Notify")
            kill_worker(workers[0])
            cut_off = Message.objects.get(reference=fake.accepted[1]["reference"])
            assert cut_off.status == MessageStatus.SENDING

            workers.append(start_worker("drill-second", broker_url=redis_server.url(0), **env))
            wait_until(
                lambda: Message.objects.filter(status=MessageStatus.SENT).count() == NEIGHBOURS,
                60,
                "every message to be sent",
            )
        finally:
            for worker in workers:
                stop_worker(worker)

    references = set(Message.objects.values_list("reference", flat=True))
    assert {n["reference"] for n in fake.accepted} == references
    assert len(fake.accepted) == NEIGHBOURS
    assert all(fake.posts_by_reference[ref] == 1 for ref in references)
    cut_off.refresh_from_db()
    assert cut_off.reference in fake.lookups  # the new worker asked Notify first
    assert cut_off.attempts == 2 and cut_off.notify_id == fake.accepted[1]["id"]
