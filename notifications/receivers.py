"""The one door into the outbox: every `JobEvent` saved, inside the transaction that saves it.

`workflows.events.job_transitioned` is sent after commit, too late to write the outbox row in the
same transaction, and only for changes of state; `post_save` of `JobEvent` covers transitions,
"report received", "a neighbour joined", appointment events and staff alerts alike.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from workflows.models import JobEvent

from .outbox import enqueue_after_commit, queue_for_event

logger = logging.getLogger(__name__)


@receiver(post_save, sender=JobEvent, dispatch_uid="notifications.queue_for_event")
def queue_messages_for_event(sender, instance: JobEvent, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:
        return
    try:
        # A savepoint: a fault here is logged and never undoes the resident's report or the transition.
        with transaction.atomic():
            ids = queue_for_event(instance)
    except Exception:
        logger.exception("Messages for event %s (%s) could not be queued", instance.pk, instance.action)
        return
    enqueue_after_commit(ids)
