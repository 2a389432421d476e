"""Benchmark the reports page and the exports at 1,000,000 jobs in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=true \
        .venv/bin/python benchmarks/reports_page.py [--jobs 1000000] [--requests 15] \
        [--sizes 100000,1000000] [--keep NAME]

Runs in a throwaway database made for the run (dropped afterwards), or with `--keep NAME` in a database
loaded once and reused by later runs. Estates, blocks, homes, jobs (a third with a start-of-work event,
completion and closure times, costs and SoR codes) are bulk-loaded with SQL generate_series; jobs older
than 60 days are finished, so about 6% are open, as in a working service. The load is SQL, which the
summary's receivers never see, so `rebuild_report_summary` then builds the summary (timed). The page
is requested through Django's test client with the full middleware stack and a signed-in manager (the
default twelve weeks, then filtered). Each export is written in a child process so its peak resident
memory is its own: the jobs export as CSV and as XLSX at each size, rows per second and peak RSS printed.
Targets: page median under 1 s; export memory flat across sizes.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from throwaway import kept_or_throwaway  # noqa: E402  (benchmarks/ is on the path when a script runs)


def load(jobs: int) -> None:
    from django.db import connection

    homes = max(1000, jobs // 100)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO properties_estate (code, name) "
            "SELECT 'E' || g, 'Estate ' || g FROM generate_series(1, 50) g"
        )
        cursor.execute(
            """
            INSERT INTO properties_block (code, name, estate_id, address_line_1, address_line_2,
                address_line_3, town, postcode, postcode_key, sort_key)
            SELECT 'B' || g, 'Block ' || g, (SELECT min(id) FROM properties_estate) + g % 50, 'Block ' || g,
                '', '', 'Demoton', 'AA1 1AB', 'AA11AB', lpad(g::text, 10, '0')
            FROM generate_series(1, 500) g
            """
        )
        cursor.execute(
            """
            INSERT INTO properties_property (property_ref, uprn, address_line_1, address_line_2,
                address_line_3, town, postcode, postcode_key, sort_key, tenure, council_repairs, is_active,
                updated_at, block_id)
            SELECT lpad(g::text, 8, '0'), NULL, g || ' Bench Street', '', '', 'Demoton', 'AA1 1AB', 'AA11AB',
                lpad(g::text, 10, '0'), 'secure', true, true, now(),
                (SELECT min(id) FROM properties_block) + g %% 500
            FROM generate_series(1, %s) AS g
            """,
            [homes],
        )
        cursor.execute(
            """
            INSERT INTO repairs_sorcode (code, description, trade_id, size, standard_minutes, unit_cost,
                is_active)
            SELECT 'SOR' || g, 'Bench code', (SELECT min(id) FROM repairs_trade), 'S', 60, 25 + g, true
            FROM generate_series(1, 20) g
            """
        )
        cursor.execute(
            """
            INSERT INTO repairs_job (property_id, trade_id, size, priority_id, description, channel, state,
                kind, attention_reason, due_at, created_at, updated_at, completed_at, closed_at, actual_cost,
                estimated_cost, sor_code_id)
            SELECT p.first + (g %% %s),
                (SELECT id FROM repairs_trade ORDER BY id LIMIT 1 OFFSET (g %% 10)),
                'S',
                (SELECT id FROM repairs_priority ORDER BY id LIMIT 1 OFFSET (g %% 5)),
                'Bench job', (ARRAY['online', 'phone', 'staff', 'api'])[1 + g %% 4],
                s.state, 'repair', '', c.at + interval '10 days', c.at, now(),
                CASE WHEN s.state IN ('completed', 'closed') THEN c.at + (g %% 15) * interval '1 day' END,
                CASE WHEN s.state = 'closed' THEN c.at + (g %% 15 + 2) * interval '1 day' END,
                CASE WHEN s.state IN ('completed', 'closed') THEN 50 + g %% 400 END,
                CASE WHEN s.state IN ('completed', 'closed') THEN 60 + g %% 300 END,
                (SELECT min(id) FROM repairs_sorcode) + g %% 20
            FROM generate_series(1, %s) AS g,
                (SELECT min(id) AS first FROM properties_property) AS p,
                LATERAL (SELECT now() - interval '420 days' + (g * (interval '420 days' / %s)) AS at) AS c,
                LATERAL (SELECT CASE WHEN c.at < now() - interval '60 days'
                    THEN (ARRAY['completed', 'closed', 'closed', 'closed', 'closed', 'closed', 'closed',
                        'closed', 'cancelled'])[1 + g %% 9]
                    ELSE (ARRAY['reported', 'triaged', 'scheduled', 'in_progress', 'completed', 'closed',
                        'closed', 'closed', 'cancelled'])[1 + g %% 9] END AS state) AS s
            """,
            [homes, jobs, jobs],
        )
        cursor.execute(
            """
            INSERT INTO workflows_jobevent (job_id, actor_name, occurred_at, action, from_state, to_state,
                note, is_public, public_note)
            SELECT id, '', created_at + interval '1 day',
                CASE WHEN id % 10 = 0 THEN 'record_no_access' ELSE 'start_work' END, 'scheduled',
                CASE WHEN id % 10 = 0 THEN 'no_access' ELSE 'in_progress' END, '', true, ''
            FROM repairs_job WHERE id % 3 = 0
            """
        )
        # A working database is vacuumed by autovacuum; a fresh bulk load is not yet.
        for table in ("repairs_job", "workflows_jobevent", "properties_property"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("ANALYZE")


def name_of_database() -> str:
    from django.db import connection

    return connection.settings_dict["NAME"]


def timed(client, url: str, requests: int) -> list[float]:
    client.get(url)  # warm
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def export_in_child(fmt: str, size: int) -> tuple[int, float, float]:
    """(rows, seconds, peak RSS MiB) for the jobs export of the first `size` jobs, in a fresh process."""
    from django.db import connections

    connections.close_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            from django.db.models import Q

            from repairs.models import Job
            from reports.exports import EXPORTS, csv_lines, rows, write_xlsx

            export = EXPORTS["jobs"]
            first = Job.objects.order_by("pk").values_list("pk", flat=True).first()
            where = Q(pk__gte=first, pk__lt=first + size)
            start = time.perf_counter()
            with tempfile.TemporaryFile() as sink:
                if fmt == "csv":
                    count = -2
                    for line in csv_lines(rows(export, where)):
                        sink.write(line)
                        count += 1
                else:
                    count = write_xlsx(rows(export, where), sink, title=export.title)
            seconds = time.perf_counter() - start
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            os.write(write, f"{count} {seconds} {peak}".encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        answer = pipe.read()
    os.waitpid(pid, 0)
    count, seconds, peak = answer.split()
    return int(count), float(seconds), float(peak)


def print_figure_times() -> None:
    """Each figure of the default page on its own, to show where the page's time goes."""
    from reports import figures
    from reports.scope import Scope, default_period

    start, end = default_period()
    scope = Scope(start=start, end=end)
    names = [
        "open_by_state", "overdue_by_priority", "weekly_flow", "due_compliance", "time_to_complete",
        "first_time_fix", "no_access_rate", "channel_mix", "communal_reports", "costs_by_estate",
        "costs_by_property", "hazard_compliance",
    ]  # fmt: skip
    for name in names:
        started = time.perf_counter()
        getattr(figures, name)(scope)
        print(f"  {name:26} {(time.perf_counter() - started) * 1000:>8.1f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument(
        "--keep",
        default="",
        metavar="NAME",
        help="load into this database once and keep it: later runs with the same name skip the load",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server: the benchmark makes and drops its own database there."
        )
    bench_url, admin_url, name, reused = kept_or_throwaway(url, args.keep, "repairs_bench_reports")
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    try:
        run(args, reused)
    finally:
        import psycopg
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name}")


def run(args, reused: bool) -> None:
    from django.conf import settings
    from django.contrib.auth.models import Permission
    from django.core.management import call_command
    from django.test import Client

    from properties.models import Estate
    from repairs.models import Job, Trade
    from tests.workflows.factories import UserFactory

    call_command("migrate", verbosity=0)
    if reused and Job.objects.count() >= args.jobs:
        print(f"Reusing {name_of_database()} with {Job.objects.count():,} jobs", flush=True)
    else:
        started = time.perf_counter()
        load(args.jobs)
        print(f"Loaded {args.jobs:,} jobs in {time.perf_counter() - started:.1f} s", flush=True)
        # The load is SQL, which the summary's receivers never see: build it as a deploy would.
        started = time.perf_counter()
        call_command("rebuild_report_summary")
        print(f"Summary built in {time.perf_counter() - started:.1f} s", flush=True)

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user = UserFactory(username=f"bench-{os.getpid()}", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_service_reports"))
    client = Client()
    client.force_login(user)
    trade = Trade.objects.order_by("id").first().pk
    estate = Estate.objects.order_by("id").first().pk
    views = {
        "default (last 12 weeks)": "",
        "a year": "?start=01/11/2025&end=31/10/2026",
        "plumbing, phone, 12 weeks": f"?trade={trade}&channel=phone",
        "one estate, 12 weeks": f"?estate={estate}",
    }
    print(f"{'reports page':28} {'median ms':>10} {'p95 ms':>8}", flush=True)
    for label, query in views.items():
        times = timed(client, "/back-office/reports/" + query, args.requests)
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        print(f"{label:28} {statistics.median(times):>10.1f} {p95:>8.1f}", flush=True)

    print_figure_times()
    print(f"{'jobs export':12} {'rows':>10} {'seconds':>8} {'rows/s':>9} {'peak RSS MiB':>13}", flush=True)
    for fmt in ("csv", "xlsx"):
        for size in (int(s) for s in args.sizes.split(",") if s):
            count, seconds, peak = export_in_child(fmt, size)
            print(f"{fmt:12} {count:>10,} {seconds:>8.1f} {count / seconds:>9,.0f} {peak:>13.1f}", flush=True)


if __name__ == "__main__":
    main()
