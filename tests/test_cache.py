"""The shared cache on Redis: an unreachable Redis is an empty cache, never an error or a long wait."""

from __future__ import annotations

import time

import pytest

from tests.drills.support import private_redis, spare_port


def test_with_redis_unreachable_reads_miss_writes_are_skipped_and_counters_start_again(forgiving_redis_cache):
    cache = forgiving_redis_cache(f"redis://127.0.0.1:{spare_port()}/0")  # nothing listens there
    started = time.monotonic()
    assert cache.get("status", "missing") == "missing"
    assert cache.get_many(["a", "b"]) == {}
    cache.set("status", "page")
    cache.set_many({"a": 1})
    assert cache.add("lock", 1) is True  # the caller goes on as if it held the lock
    assert cache.incr("counter") == 1  # a rate counter reads as its first use
    assert cache.delete("status") is False
    cache.delete_many(["a", "b"])
    assert cache.has_key("status") is False
    assert cache.touch("status") is False
    cache.clear()
    assert time.monotonic() - started < 2


def test_with_redis_up_the_cache_behaves_as_djangos_own(forgiving_redis_cache):
    with private_redis() as server:
        cache = forgiving_redis_cache(server.url(1))
        cache.set("status", {"state": "scheduled"})
        assert cache.get("status") == {"state": "scheduled"}
        assert cache.add("lock", 1) is True and cache.add("lock", 1) is False
        with pytest.raises(ValueError):
            cache.incr("never-set")
        server.kill()
        assert cache.get("status") is None  # gone with Redis: a miss, not an error


@pytest.mark.django_db
def test_the_health_check_still_reports_a_redis_cache_that_cannot_be_reached(client, forgiving_redis_cache):
    forgiving_redis_cache(f"redis://127.0.0.1:{spare_port()}/0")
    response = client.get("/health/?format=json")
    assert response.status_code == 500
    failing = {name for name, state in response.json().items() if state != "OK"}
    assert any("cache" in name.lower() for name in failing), response.json()
