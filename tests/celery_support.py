"""A real Celery worker on Redis for tests whose behaviour depends on task delivery.

The embedded default runs tasks eagerly; these tests point the project's Celery app at Redis, start a
worker thread, and send tasks through the broker as production does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis

from config.celery import app

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def redis_available(url: str = REDIS_TEST_URL) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@contextmanager
def celery_worker_on_redis() -> Iterator[None]:
    """Run a worker thread against Redis for the duration of the block; restore eager mode after."""
    from celery.contrib.testing.worker import start_worker

    if not redis_available():
        if os.environ.get("REQUIRE_BROKER") or os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_TEST_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_TEST_URL}")
    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=REDIS_TEST_URL, result_backend=REDIS_TEST_URL, task_always_eager=False)
    _forget_broker_connections()
    app.loader.import_default_modules()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.update(saved)
        _forget_broker_connections()


def _forget_broker_connections() -> None:
    """Drop cached broker pools: an eager task sent earlier opened one on the default broker (as at fork)."""
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
