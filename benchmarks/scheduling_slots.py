"""Benchmark the built-in calendar: a fortnight of slots for a busy team, and booking one.

    DEBUG=true .venv/bin/python benchmarks/scheduling_slots.py [--operatives 20] [--bookings 400] [--runs 50]

Runs against a throwaway database: PostgreSQL `repairs_bench_sched` (created and dropped) when
DATABASE_URL points at PostgreSQL, else a temporary SQLite file. Targets: a week of slots in under
50 ms median with a constant number of queries; a booking in under 50 ms median.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

from throwaway import throwaway_database  # benchmarks/ is on the path when a script runs

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "repairs_bench_sched"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--operatives", type=int, default=20)
    parser.add_argument("--bookings", type=int, default=400)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    with throwaway_database(BENCH_DB):
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        run(args)


def run(args) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from repairs.models import Trade, WorkTeam
    from scheduling.adapters.builtin import BuiltinCalendar
    from scheduling.models import CalendarBooking, Operative, TeamCalendar, WorkingHours
    from scheduling.port import LONDON, JobSpec, Window

    trade = Trade.objects.get(code="PL")
    team = WorkTeam.objects.create(name="Bench team")
    TeamCalendar.objects.create(team=team, slot_shapes=["am", "pm", "school", "allday"], lead_days=0)
    operatives = []
    for n in range(args.operatives):
        operative = Operative.objects.create(team=team, name=f"Operative {n}")
        operative.trades.add(trade)
        WorkingHours.objects.bulk_create(
            WorkingHours(operative=operative, weekday=d, starts=datetime.time(8), ends=datetime.time(16))
            for d in range(5)
        )
        operatives.append(operative)
    today = datetime.datetime.now(LONDON).date()
    monday = today + datetime.timedelta(days=14 - today.weekday())
    start = datetime.datetime.combine(monday, datetime.time(), LONDON)
    rows = []
    for n in range(args.bookings):
        day = start + datetime.timedelta(days=(n // 2) % 12)
        hour = 8 if n % 2 else 12
        rows.append(
            CalendarBooking(
                job_reference=f"RO-B{n}",
                operative=operatives[n % len(operatives)],
                starts_at=day.replace(hour=hour),
                ends_at=day.replace(hour=hour + 4),
                shape="am" if hour == 8 else "pm",
                minutes=60,
            )
        )
    CalendarBooking.objects.bulk_create(rows)
    adapter = BuiltinCalendar()
    job = JobSpec(reference="RO-X", trade="PL", size="M", team_id=team.pk)
    window = Window(start, start + datetime.timedelta(days=14))

    timings, queries = [], set()
    for _ in range(args.runs):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            page = adapter.available_slots(job, window)
            timings.append((time.perf_counter() - began) * 1000)
        queries.add(len(captured))
    print(f"database: {connection.vendor}; operatives: {args.operatives}; bookings: {args.bookings}")
    print(
        f"a week of slots: {len(page.slots)} slots, median {statistics.median(timings):.1f} ms, "
        f"p95 {sorted(timings)[int(len(timings) * 0.95) - 1]:.1f} ms, queries per call {sorted(queries)}"
    )

    booking_times = []
    for n in range(args.runs):
        slot = page.slots[n % len(page.slots)]
        began = time.perf_counter()
        adapter.book(JobSpec(reference=f"RO-N{n}", trade="PL", size="S", team_id=team.pk), slot)
        booking_times.append((time.perf_counter() - began) * 1000)
    print(f"booking: median {statistics.median(booking_times):.1f} ms, max {max(booking_times):.1f} ms")


if __name__ == "__main__":
    main()
