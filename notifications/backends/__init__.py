"""Backends that send a message: GOV.UK Notify, or a recorder for the embedded run. Chosen by settings."""

from __future__ import annotations

import os
import threading

from django.conf import settings

from .base import Backend, Delivery, SendError

__all__ = ["Backend", "Delivery", "SendError", "backend_for_this_thread"]

_local = threading.local()


def backend_for_this_thread() -> Backend:
    """One backend per worker process and thread: the Notify client's session is not thread-safe,
    and a process forked from another must not share its parent's connections."""
    key = (os.getpid(), settings.NOTIFY_API_KEY, settings.NOTIFY_BASE_URL)
    if getattr(_local, "key", None) != key:
        _local.backend = _make_backend()
        _local.key = key
    return _local.backend


def _make_backend() -> Backend:
    if settings.NOTIFY_API_KEY:
        from .govuk_notify import GovukNotifyBackend

        return GovukNotifyBackend(
            api_key=settings.NOTIFY_API_KEY,
            base_url=settings.NOTIFY_BASE_URL,
            timeout=settings.NOTIFY_TIMEOUT,
        )
    from .recording import RecordingBackend

    return RecordingBackend()
