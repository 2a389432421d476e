"""Drill: GOV.UK Notify and the DRS scheduler fail, or answer too slowly, while residents report repairs.

A real worker on a private Redis sends the messages and the bookings, as in production.

- Notify answers the first three sends with a 503, a 429 and silence (it takes the message but the
  answer never comes; the client gives up after NOTIFY_TIMEOUT). Every report is answered at once
  all the same. The messages go back to the outbox with the reason and a backoff of about ten seconds,
  are tried again then, and each reaches Notify exactly once: the silent one is found by its reference.
- DRS answers after three seconds, past the connection's one-second timeout, then with SOAP faults.
  The resident's report is answered at once and the job is in the needs-booking queue with the reason
  within a few seconds; when DRS is well again the queue's retry (run by beat) books it, once.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.utils import timezone

from notifications.models import Message, MessageStatus, NotificationRule, Trigger
from repairs.models import Report
from scheduling.models import Appointment, AppointmentStatus, NeedsBooking
from scheduling.queue import retry_due_bookings
from tests.api.conftest import key_secret, register  # noqa: F401  (fixtures)
from tests.drills.support import private_redis, start_worker, stop_worker, tasks_sent_to, wait_until
from tests.notifications.conftest import make_rule
from tests.notifications.fake_notify import FakeNotify, running
from tests.repairs.factories import TradeFactory
from tests.scheduling.conftest import drs_connection, fake_drs, next_monday  # noqa: F401  (fixtures)
from tests.scheduling.factories import RoutingRuleFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PATIENCE = 3.0  # seconds a resident may wait for an answer


def book(client, secret: str, address_id: str, trade: str, n: int, slot=None) -> tuple[dict, float]:
    body = {
        "address_id": address_id,
        "repair": {"trade": trade, "priority": "RO", "size": "S", "description": f"Drill fault {n}"},
        "contact": {"name": f"Resident {n}", "email": f"drill-out{n}@example.invalid", "updates": "email"},
        "slot": slot,
    }
    started = time.monotonic()
    answer = client.post(
        "/api/v1/repairs", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    seconds = time.monotonic() - started
    assert answer.status_code == 201, answer.content
    return answer.json(), seconds


def test_notify_and_drs_failing_or_slow_never_lose_a_report_a_message_or_a_booking(
    client,
    register,  # noqa: F811
    key_secret,  # noqa: F811
    fake_drs,  # noqa: F811
    drs_connection,  # noqa: F811
):
    NotificationRule.objects.update(is_active=False)
    make_rule(trigger=Trigger.EVENT, event="report_received", state="", personalisation="reference")
    drs_connection.timeout_seconds = 10  # while the slots are read; the drill shortens it below
    drs_connection.save()
    RoutingRuleFactory(trade=TradeFactory(code="EL", name="Electrical"), connection=drs_connection)
    secret = key_secret("book", "slots:read")
    home = register["homes"][0].property_ref
    fake = FakeNotify()
    fake.script("503", "429", "hang")
    offered = client.get(
        "/api/v1/appointments",
        {"address_id": home, "trade": "EL", "priority": "RO", "week_starting": next_monday().date()},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    ).json()
    assert offered["bookable_online"], offered
    slot = {key: offered["slots"][0][key] for key in ("start", "end")}
    drs_connection.timeout_seconds = 1
    drs_connection.save(update_fields=["timeout_seconds"])
    fake_drs.delay = 3.0
    with private_redis() as redis_server, running(fake) as url, tasks_sent_to(redis_server.url(0)):
        env = {
            "NOTIFY_API_KEY": fake.api_key,
            "NOTIFY_BASE_URL": url,
            "NOTIFY_TIMEOUT": "1",
            "NOTIFY_RATE_REDIS_URL": "",
        }
        worker = start_worker("drill-outside", broker_url=redis_server.url(0), **env)
        try:
            waits = [book(client, secret, home, "PL", n)[1] for n in range(3)]
            electrical, seconds = book(client, secret, home, "EL", 3, slot)
            booking_wait = seconds
            job = Report.objects.get(reference=electrical["reference"]).job
            failed_at = time.monotonic()

            # Notify: each of the first three sends failed in its own way, and waits for its retry.
            wait_until(
                lambda: Message.objects.exclude(failure_reason="").count() >= 3,
                30,
                "three failed sends to be recorded",
            )
            assert max(fake.posts_by_reference.values()) == 1  # nothing re-sent before its backoff
            # DRS: too slow, so the job waits in the needs-booking queue with the reason.
            wait_until(
                lambda: NeedsBooking.objects.filter(job=job, attempts__gte=1).exists(),
                30,
                "the job to join the needs-booking queue",
            )
            queued_in = time.monotonic() - failed_at
            entry = NeedsBooking.objects.get(job=job, resolved_at__isnull=True)
            assert entry.retryable and entry.last_error and entry.next_attempt_at > timezone.now()

            # Beat's queue run while DRS answers with faults, then once it is well again.
            later = timezone.now() + datetime.timedelta(days=1)
            fake_drs.delay, fake_drs.fault = 0.0, "server"
            retry_due_bookings(now=later)
            entry.refresh_from_db()
            assert entry.resolved_at is None and entry.attempts == 2 and entry.retryable
            fake_drs.fault = ""
            retry_due_bookings(now=later + datetime.timedelta(days=1))

            wait_until(
                lambda: Message.objects.filter(status=MessageStatus.SENT).count() == 4,
                60,
                "every message to be sent after its backoff",
            )
        finally:
            stop_worker(worker)

    print(
        f"\nanswers took {', '.join(f'{s:.2f}s' for s in waits)}; "
        f"the DRS booking {booking_wait:.2f}s; it joined the needs-booking queue {queued_in:.1f}s later "
        f"({entry.last_error!r})"
    )
    assert max(waits) < PATIENCE
    # The slot is checked with DRS while the resident waits: at most the connection's timeout per call.
    assert booking_wait < PATIENCE + 2 * drs_connection.timeout_seconds
    references = set(Message.objects.values_list("reference", flat=True))
    assert {n["reference"] for n in fake.accepted} == references
    assert len(fake.accepted) == 4 and len(fake.by_reference) == 4
    assert Message.objects.filter(attempts__gte=2).count() == 3  # the three failures, each tried again
    appointment = Appointment.objects.get(job=job)
    assert appointment.status != AppointmentStatus.REQUESTED and appointment.external_ref
    assert len(fake_drs.orders) == 1
    assert not NeedsBooking.objects.filter(job=job, resolved_at__isnull=True).exists()
