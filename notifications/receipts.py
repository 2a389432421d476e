"""Delivery receipts: what Notify says became of each message, matched by Notify id or our reference.

Notify calls back once a message is delivered or has failed, and retries a callback that got a 5xx,
so applying one must be idempotent: it sets a status, it never adds anything.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import Message, MessageStatus

# Notify's final statuses; "sending", "pending" and "sent" (international SMS) leave our row as it is.
FINAL = {
    "delivered": MessageStatus.DELIVERED,
    "permanent-failure": MessageStatus.PERMANENT_FAILURE,
    "temporary-failure": MessageStatus.TEMPORARY_FAILURE,
    "technical-failure": MessageStatus.TECHNICAL_FAILURE,
}


class BadReceipt(ValueError):
    pass


def apply_receipt(payload: object) -> Message | None:
    """Record the status in one receipt; return the message it was about (None if it is not ours)."""
    if not isinstance(payload, dict):
        raise BadReceipt("The receipt is not a JSON object.")
    notify_id = str(payload.get("id") or "").strip()
    reference = str(payload.get("reference") or "").strip()
    status = str(payload.get("status") or "").strip()
    if not (notify_id or reference) or not status:
        raise BadReceipt("A receipt needs an id or a reference, and a status.")
    matches = Q(notify_id=notify_id) if notify_id else Q()
    if reference:
        matches = matches | Q(reference=reference) if notify_id else Q(reference=reference)
    message = Message.objects.filter(matches).first()
    if message is None:
        return None
    ours = FINAL.get(status)
    changes: dict[str, object] = {}
    if notify_id and not message.notify_id:
        changes["notify_id"] = notify_id
    if ours is not None:
        changes["status"] = ours
        changes["status_at"] = _when(payload) or timezone.now()
        if ours != MessageStatus.DELIVERED:
            changes["failure_reason"] = f"Notify reported {status}."
    if changes:
        Message.objects.filter(pk=message.pk).update(**changes)
        message.refresh_from_db()
    return message


def _when(payload: dict) -> datetime.datetime | None:
    value = payload.get("completed_at") or payload.get("sent_at")
    if not value:
        return None
    try:
        return parse_datetime(str(value))
    except ValueError:
        return None
