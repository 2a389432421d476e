"""The limiter's counters on Redis as production runs them: one shared count per client and window,
readable by Django's cache, expiring with the window, and never an error when Redis is out of reach."""

from __future__ import annotations

import time

import redis
from django.test import RequestFactory

from repairs.abuse import Limit, hit, spent
from tests.drills.support import private_redis, spare_port


def client(address: str):
    return RequestFactory().get("/", REMOTE_ADDR=address)


def test_on_redis_each_client_has_one_count_per_window_that_expires_with_it(forgiving_redis_cache):
    limit = Limit("counter-test", 3, 60)
    with private_redis() as server:
        cache = forgiving_redis_cache(server.url(1))
        resident, neighbour = client("203.0.113.10"), client("203.0.113.11")

        answers = [hit(resident, limit).allowed for _ in range(5)]

        assert answers == [True, True, True, False, False]
        assert spent(resident, limit).allowed is False
        assert hit(neighbour, limit).allowed is True
        raw = redis.Redis.from_url(server.url(1))
        keys = raw.keys("*counter-test*")
        assert len(keys) == 2  # one per client, named by a digest, never the address itself
        assert not any(b"203.0.113" in k for k in keys)
        assert all(0 < raw.ttl(k) <= limit.window + 5 for k in keys)
        assert sorted(int(raw.get(k)) for k in keys) == [1, 5]
        assert sorted(cache.get(k.decode().split(":", 2)[2]) for k in keys) == [1, 5]


def test_with_redis_out_of_reach_every_request_goes_through_quickly(forgiving_redis_cache):
    forgiving_redis_cache(f"redis://127.0.0.1:{spare_port()}/0")  # nothing listens there
    limit = Limit("counter-test", 1, 60)
    started = time.monotonic()

    answers = [hit(client("203.0.113.12"), limit).allowed for _ in range(3)]

    assert answers == [True, True, True]
    assert spent(client("203.0.113.12"), limit).allowed is True
    assert time.monotonic() - started < 3
