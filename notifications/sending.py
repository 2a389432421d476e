"""Sending one outbox row exactly once, whatever happens to the worker sending it.

Notify has no idempotency key, so "exactly once" rests on our reference (unique per row):
- a row is claimed (status "sending") in its own short transaction before any request leaves;
- a row found "sending" with a stale claim belonged to a worker that died or timed out mid-send, and
  a send answered by a timeout or a 5xx may have reached Notify: either way the reference is looked
  up at Notify (`get_all_notifications(reference=...)`) before sending again;
- a place under Notify's rate limit is taken before the claim, so waiting for the limit never makes
  a claim look stale.
"""

from __future__ import annotations

import datetime
import logging
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .backends import Backend, Delivery, SendError, backend_for_this_thread
from .models import PLACEHOLDER_TEMPLATE_PREFIX, Message, MessageStatus
from .ratelimit import Limiter, NoLimiter, limiter_from_settings

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
RATE_WAIT_SECONDS = 30.0


@dataclass(frozen=True)
class Outcome:
    result: str  # sent, found, failed, retry, done, busy, gone, waiting
    retry_in: float | None = None


def claim_is_stale(claimed_at: datetime.datetime | None, now: datetime.datetime) -> bool:
    return claimed_at is None or claimed_at <= now - datetime.timedelta(seconds=settings.NOTIFY_CLAIM_TIMEOUT)


def backoff_seconds(attempts: int) -> float:
    """10 s, 20 s, 40 s … at most 30 minutes, with jitter so retries do not arrive together."""
    base = min(1800.0, 10.0 * 2 ** max(0, attempts - 1))
    return base * random.uniform(0.8, 1.2)


def deliver_message(
    message_id: int, *, backend: Backend | None = None, limiter: Limiter | None = None
) -> Outcome:
    """Send the row `message_id` if it still needs sending; say what happened."""
    now = timezone.now()
    seen = Message.objects.filter(pk=message_id).values("status", "claimed_at").first()
    if seen is None:
        return Outcome("gone")
    if seen["status"] not in (MessageStatus.QUEUED, MessageStatus.SENDING):
        return Outcome("done")
    if seen["status"] == MessageStatus.SENDING and not claim_is_stale(seen["claimed_at"], now):
        return Outcome("busy")  # another worker is sending it now
    backend = backend or backend_for_this_thread()
    if limiter is None:
        limiter = limiter_from_settings() if backend.counts_against_rate_limit else NoLimiter()
    if not limiter.acquire(timeout=RATE_WAIT_SECONDS):
        return Outcome("waiting", retry_in=random.uniform(1, 5))
    claimed = _claim(message_id)
    if claimed is None:
        return Outcome("busy")
    message, check_first = claimed
    if backend.can_look_up and message.template_id.startswith(PLACEHOLDER_TEMPLATE_PREFIX):
        _fail(message, "The rule still has a placeholder template ID: paste the real one from Notify.")
        return Outcome("failed")
    try:
        if check_first and backend.can_look_up:
            found = backend.look_up(message.reference)
            if found:
                logger.info("Message %s had reached Notify already (%s); not sent again", message.pk, found)
                _mark_sent(message, Delivery(notify_id=found), backend)
                return Outcome("found")
            if not limiter.acquire(timeout=RATE_WAIT_SECONDS):
                _release(message, lookup_needed=False)
                return Outcome("waiting", retry_in=random.uniform(1, 5))
        delivery = backend.send(message)
    except SendError as error:
        return _after_error(message, error, looked_up=check_first and backend.can_look_up)
    _mark_sent(message, delivery, backend)
    return Outcome("sent")


def _claim(message_id: int) -> tuple[Message, bool] | None:
    now = timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("rule")
            .filter(pk=message_id)
            .first()
        )
        if message is None or message.status not in (MessageStatus.QUEUED, MessageStatus.SENDING):
            return None
        if message.status == MessageStatus.SENDING and not claim_is_stale(message.claimed_at, now):
            return None
        # A row still "sending" was left by a worker that stopped mid-send: it may have reached Notify.
        check_first = message.status == MessageStatus.SENDING or message.lookup_needed
        message.status = MessageStatus.SENDING
        message.attempts += 1
        message.claimed_at = now
        message.save(update_fields=["status", "attempts", "claimed_at"])
    return message, check_first


def _mark_sent(message: Message, delivery: Delivery, backend: Backend) -> None:
    now = timezone.now()
    Message.objects.filter(pk=message.pk).update(
        notify_id=delivery.notify_id,
        preview=delivery.preview,
        backend=backend.name,
        sent_at=now,
        lookup_needed=False,
        failure_reason="",
    )
    # A delivery receipt may have come in already (found by reference): never step back from it.
    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(status=MessageStatus.SENT)


def _after_error(message: Message, error: SendError, *, looked_up: bool) -> Outcome:
    # After a look-up that found nothing, only this attempt's own uncertainty matters.
    lookup_needed = error.uncertain or (message.lookup_needed and not looked_up)
    if error.retryable and message.attempts < MAX_ATTEMPTS:
        delay = backoff_seconds(message.attempts)
        when = timezone.now() + datetime.timedelta(seconds=delay)
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.QUEUED,
            next_attempt_at=when,
            enqueued_at=when,
            failure_reason=error.message,
            lookup_needed=lookup_needed,
        )
        logger.warning("Message %s not sent (try %s), retrying: %s", message.pk, message.attempts, error)
        return Outcome("retry", retry_in=delay)
    reason = error.message
    if error.retryable:
        reason = f"Gave up after {message.attempts} tries. {reason}"
    _fail(message, reason, lookup_needed=lookup_needed)
    return Outcome("failed")


def _release(message: Message, *, lookup_needed: bool) -> None:
    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=MessageStatus.QUEUED, claimed_at=None, lookup_needed=lookup_needed
    )


def _fail(message: Message, reason: str, *, lookup_needed: bool = False) -> None:
    logger.error("Message %s not sent: %s", message.pk, reason)
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.FAILED,
        failure_reason=reason,
        lookup_needed=lookup_needed,
        status_at=timezone.now(),
    )
