"""Benchmark draining the Notify outbox at Notify's rate limit, through the shared Redis limiter.

    DEBUG=true .venv/bin/python benchmarks/notify_drain.py       # 10,000 at 3,000 a minute: about 3.3 min
    DEBUG=true .venv/bin/python benchmarks/notify_drain.py --messages 1000 --limit 300 --window 6  # 30 s

Queues `--messages` outbox rows in a throwaway database (PostgreSQL `repairs_bench_notify` when
DATABASE_URL points at PostgreSQL, else a temporary SQLite file) and drains them with `--workers`
threads, each with its own Notify client, through the real client against the local fake Notify set
to Notify's limit: it answers 429 past `--limit` messages in any rolling `--window` seconds. The
limiter shares its window in Redis (`--redis`, db 13 by default), as separate workers would.
Prints messages per minute (scaled to a minute when the window is shorter) and the number of 429s.
The rate is counted over the whole windows, from the first message Notify accepted, that ended while
more than a window's worth of messages was still waiting (later windows cannot be full). Workers that find the
window full wait up to 30 s, then re-queue the message a few seconds later, as a Celery task would.
Target: within 5% of the limit, the busiest rolling window within the limit, no 429 storm (at most 5).
"""

from __future__ import annotations

import argparse
import os
import queue
import sys
import threading
import time
from pathlib import Path

from throwaway import throwaway_database  # benchmarks/ is on the path when a script runs

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "repairs_bench_notify"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=3000, help="messages per window (Notify: 3,000)")
    parser.add_argument("--window", type=float, default=60.0, help="seconds (Notify: 60)")
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ["CONN_MAX_AGE"] = "600"

    from tests.notifications.fake_notify import FakeNotify, running

    fake = FakeNotify(rate_limit=args.limit, rate_window=args.window)
    with throwaway_database(BENCH_DB), running(fake) as url:
        os.environ.update(
            NOTIFY_API_KEY=fake.api_key,
            NOTIFY_BASE_URL=url,
            NOTIFY_RATE_LIMIT=str(args.limit),
            NOTIFY_RATE_WINDOW=str(args.window),
            NOTIFY_RATE_REDIS_URL=args.redis,
        )
        import logging

        import django

        django.setup()
        logging.getLogger("notifications_python_client").setLevel(logging.ERROR)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        run(args, fake)


def run(args, fake) -> None:
    from django.db import connection

    from notifications.models import Message, MessageStatus
    from notifications.ratelimit import limiter_from_settings
    from notifications.sending import deliver_message

    limiter_from_settings().reset()
    Message.objects.bulk_create(
        Message(
            purpose="benchmark",
            audience="reporters",
            channel="email",
            recipient=f"resident{n}@example.invalid",
            template_id="11111111-2222-4333-8444-555555555555",
            personalisation={"reference": f"RP-{n:06d}"},
            dedupe_key=f"benchmark:{n}",
        )
        for n in range(args.messages)
    )
    ids: queue.Queue[int] = queue.Queue()
    for pk in Message.objects.values_list("pk", flat=True):
        ids.put(pk)
    print(f"Draining {args.messages} messages, {args.workers} workers, {args.limit} per {args.window:g} s")
    print(f"database: {connection.vendor}; limiter: Redis at {args.redis}")

    retried: list[int] = []
    pending = [0]
    lock = threading.Lock()

    def later(pk: int) -> None:
        ids.put(pk)
        with lock:
            pending[0] -= 1

    def work() -> None:
        from django.db import connection as own

        while True:
            try:
                pk = ids.get(timeout=0.2)
            except queue.Empty:
                with lock:
                    if pending[0] == 0:
                        break
                continue
            outcome = deliver_message(pk)
            if outcome.retry_in is not None:  # as a Celery countdown would
                retried.append(pk)
                with lock:
                    pending[0] += 1
                threading.Timer(outcome.retry_in, later, args=(pk,)).start()
        own.close()

    started = time.monotonic()
    threads = [threading.Thread(target=work) for _ in range(args.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    sent = Message.objects.filter(status=MessageStatus.SENT).count()
    times = sorted(fake.accept_times)
    scale = 60.0 / args.window
    busiest = _busiest_window(times, args.window)
    print(
        f"sent {sent}/{args.messages} in {elapsed:.1f} s; 429s: {fake.rate_limited}; waited: {len(retried)}"
    )
    print(f"busiest rolling window: {busiest} messages (limit {args.limit})")
    windows = int((times[-1] - times[0]) // args.window) + 1
    counts = [_count_in(times, times[0] + k * args.window, args.window) for k in range(windows)]
    for k, count in enumerate(counts, 1):
        print(f"window {k}: {count} messages ({count / args.limit:.1%} of the limit)")
    # Whole windows that ended while more than a window's worth was still waiting.
    backlog_until = times[len(times) - args.limit] if len(times) > args.limit else times[0]
    whole = int((backlog_until - times[0]) // args.window)
    if whole < 1:
        print(
            "the backlog lasted less than a window: queue at least twice --limit messages to measure a rate"
        )
        return
    counts = counts[:whole]
    rate = sum(counts) / whole
    ok = abs(rate - args.limit) <= 0.05 * args.limit and busiest <= args.limit and fake.rate_limited <= 5
    print(
        f"while the backlog lasted: {rate * scale:.0f} messages a minute "
        f"({rate / args.limit:.1%} of the limit, target 95% to 105%): {'PASS' if ok else 'FAIL'}"
    )


def _count_in(times: list[float], start: float, window: float) -> int:
    return sum(1 for t in times if start <= t < start + window)


def _busiest_window(times: list[float], window: float) -> int:
    best, left = 0, 0
    for right, t in enumerate(times):
        while times[left] <= t - window:
            left += 1
        best = max(best, right - left + 1)
    return best


if __name__ == "__main__":
    main()
