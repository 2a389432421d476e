"""The shared limit in Redis: workers together never pass it, and a worker waits for a place."""

from __future__ import annotations

import os
import threading
import time

import pytest
import redis

from notifications.ratelimit import RedisSlidingWindow

REDIS_URL = os.environ.get("NOTIFY_REDIS_TEST_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def redis_client():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        if os.environ.get("CI") or os.environ.get("REQUIRE_BROKER"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    client.delete("test-notify-rate", "test-notify-rate:seq")
    yield client
    client.delete("test-notify-rate", "test-notify-rate:seq")


def limiter(client, limit=20, window=1.0) -> RedisSlidingWindow:
    # A fresh client per "worker", as separate processes would have.
    own = redis.Redis(connection_pool=redis.ConnectionPool.from_url(REDIS_URL))
    return RedisSlidingWindow(own, key="test-notify-rate", limit=limit, window_seconds=window)


def test_workers_sharing_the_window_take_no_more_than_the_limit(redis_client):
    workers = [limiter(redis_client) for _ in range(4)]
    granted = [0] * 4

    def take(index: int) -> None:
        for _ in range(15):
            if workers[index].try_acquire() == 0:
                granted[index] += 1

    threads = [threading.Thread(target=take, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(granted) == 20  # 60 asked for, across four workers, inside one window
    assert workers[0].try_acquire() > 0  # and it says how long to wait


def test_a_worker_waits_for_the_oldest_place_to_come_free(redis_client):
    one = limiter(redis_client, limit=3, window=0.5)
    other = limiter(redis_client, limit=3, window=0.5)
    started = time.monotonic()
    for _ in range(3):
        assert one.acquire(timeout=1)

    assert other.acquire(timeout=0.1) is False  # no place within a tenth of a second
    assert other.acquire(timeout=2) is True
    assert time.monotonic() - started >= 0.45


def test_over_a_rolling_window_the_rate_holds_at_the_limit(redis_client):
    shared = [limiter(redis_client, limit=30, window=0.5) for _ in range(3)]
    times: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + 1.6

    def send(index: int) -> None:
        while time.monotonic() < deadline:
            if shared[index].acquire(timeout=0.5):
                with lock:
                    times.append(time.monotonic())

    threads = [threading.Thread(target=send, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    times.sort()
    # No rolling half-second holds more than 30, wherever it starts.
    busiest = max(sum(1 for t in times if start <= t < start + 0.5) for start in times)
    assert busiest <= 30
    assert len(times) >= 30 * 3  # and the limit is used, not wasted: three full windows in 1.6 s
