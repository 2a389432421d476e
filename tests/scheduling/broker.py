"""A broker that is down: the project's Celery app pointed at a local port nothing listens on."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from config.celery import app
from tests.celery_support import _forget_broker_connections

KEYS = ("broker_url", "task_always_eager", "task_publish_retry", "broker_connection_timeout")


def closed_port() -> int:
    """A local port that was free a moment ago: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def broker_down() -> Iterator[str]:
    """Send tasks to an unreachable Redis for the duration of the block; restore the app after."""
    saved = {key: app.conf[key] for key in KEYS}
    url = f"redis://127.0.0.1:{closed_port()}/10"
    app.conf.update(
        broker_url=url, task_always_eager=False, task_publish_retry=False, broker_connection_timeout=1
    )
    _forget_broker_connections()
    try:
        yield url
    finally:
        app.conf.update(saved)
        _forget_broker_connections()
