"""Idempotency keys on booking: a retried request makes one report and gets the first answer again.

The record is written in the same transaction as the report. A second request with the same key
waits on the unique index until the first commits, then replays its answer; one that fails rolls its
record back with everything else, so the caller may retry with the same key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction

from .models import ApiKey, IdempotentBooking
from .problems import Problem

MAX_KEY_LENGTH = 255


def fingerprint(body: bytes) -> str:
    try:
        canonical = json.dumps(json.loads(body or b"null"), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


def once(
    *, api_key: ApiKey, key: str | None, body: bytes, make: Callable[[], tuple[int, dict]]
) -> tuple[int, dict, bool]:
    """Run `make` once per key; return its status, body and whether this is a replay."""
    if not key:
        status, response = make()
        return status, response, False
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise Problem(
            422, "invalid-idempotency-key", "Idempotency-Key must be up to 255 printable characters."
        )
    request_hash = fingerprint(body)
    earlier = _earlier(api_key, key, request_hash)
    if earlier is not None:
        return earlier.status_code, earlier.response, True
    try:
        with transaction.atomic():
            record = IdempotentBooking.objects.create(
                api_key=api_key, key=key, request_hash=request_hash, status_code=0, response={}
            )
            status, response = make()
            # Stored as the JSON it will be sent as: an appointment's times are datetimes here.
            record.status_code = status
            record.response = json.loads(json.dumps(response, cls=DjangoJSONEncoder))
            record.save(update_fields=["status_code", "response"])
    except IntegrityError:
        earlier = _earlier(api_key, key, request_hash)
        if earlier is None:
            raise
        return earlier.status_code, earlier.response, True
    return status, response, False


def _earlier(api_key: ApiKey, key: str, request_hash: str) -> IdempotentBooking | None:
    earlier = IdempotentBooking.objects.filter(api_key=api_key, key=key).first()
    if earlier is not None and earlier.request_hash != request_hash:
        raise Problem(
            422,
            "idempotency-key-reused",
            "This Idempotency-Key was used for a different request. Use a new key for a new booking.",
        )
    return earlier
