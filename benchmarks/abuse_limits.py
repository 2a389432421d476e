"""Benchmark what the per-address limits add to a request: the counters a status-page view touches.

    DEBUG=true .venv/bin/python benchmarks/abuse_limits.py [--calls 20000] [--redis redis://127.0.0.1:6379/13]

A status-link view reads the client's miss counter and counts the request (`spent` then `hit`); an
Open311 read or an unkeyed API call counts once (`hit`). This times both against the local-memory cache
(the embedded default) and, with --redis, against a Redis cache as production runs it, with one client
address per 100 calls so both the first-of-window path and the common path are taken. Keys it writes
expire with their window. Each figure is set beside one plain `cache.get` timed alongside, since a
busy machine moves both. Target: a status view's checks cost about two reads on Redis (one read of
the miss counter, one pipelined count), where Django's add-then-incr took four.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(calls: int) -> tuple[float, float, float]:
    from django.core.cache import caches
    from django.test import RequestFactory

    import repairs.abuse as abuse

    backend = caches.create_connection("bench")
    abuse._backend = lambda: backend
    link = abuse.Limit("bench-link", 10**9, 300)
    miss = abuse.Limit("bench-miss", 10**9, 900)
    factory = RequestFactory()
    requests = [factory.get("/", REMOTE_ADDR=f"198.51.100.{n % 250}") for n in range(max(1, calls // 100))]
    view, one_get = [], []
    for n in range(calls):
        request = requests[n % len(requests)]
        started = time.perf_counter()
        abuse.spent(request, miss)
        abuse.hit(request, link)
        view.append(time.perf_counter() - started)
        started = time.perf_counter()
        backend.get("bench-nothing")  # one plain round trip, measured alongside under the same load
        one_get.append(time.perf_counter() - started)
    return (
        statistics.median(view) * 1e6,
        statistics.quantiles(view, n=100)[94] * 1e6,
        statistics.median(one_get) * 1e6,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--redis", default="", help="a Redis URL to measure as production runs")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    import django
    from django.conf import settings

    django.setup()
    runs = [
        ("local memory", {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench"})
    ]
    if args.redis:
        runs.append(
            ("Redis", {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": args.redis})
        )
    print(f"{args.calls} status-view checks (spent + hit) per cache; one address per 100 calls")
    for name, backend in runs:
        settings.CACHES["bench"] = backend
        median, p95, get = measure(args.calls)
        print(
            f"  {name:<13} median {median:7.1f} us   p95 {p95:7.1f} us   "
            f"(one cache.get: {get:6.1f} us, so {median / get:.1f} of them)"
        )


if __name__ == "__main__":
    main()
