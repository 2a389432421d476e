"""Benchmark the back-office job queue at 1,000,000 jobs: page 1 against page 10,000, filtered and not.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=true \
        .venv/bin/python benchmarks/backoffice_queue.py [--jobs 1000000] [--requests 40] [--explain]

Runs in a throwaway PostgreSQL database made for the run (dropped afterwards). Homes and jobs are
bulk-loaded with SQL generate_series, not the ORM. Every request goes through Django's test client with
the full middleware stack and a signed-in manager, and so does a minimal view returning "ok": the
figures are the queue's median and p95 and their ratio to that minimal view, measured in the same run.
Deep pages start from the cursor a reader would have after 9,999 "Next" clicks (computed once here
with OFFSET, which the queue itself never uses). Target: p95 under 100 ms at any depth.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGE = 50


def throwaway(url: str) -> tuple[str, str, str]:
    import psycopg

    parts = urlparse(url)
    name = f"repairs_bench_queue_{os.getpid()}"
    admin_url = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    return urlunparse(parts._replace(path=f"/{name}")), admin_url, name


def load(jobs: int) -> None:
    from django.db import connection

    homes = max(1000, jobs // 100)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO properties_property (property_ref, uprn, address_line_1, address_line_2,
                address_line_3,
                town, postcode, postcode_key, sort_key, tenure, council_repairs, is_active, updated_at)
            SELECT lpad(g::text, 8, '0'), NULL, g || ' Bench Street', '', '', 'Demoton', 'AA1 1AB', 'AA11AB',
                lpad(g::text, 10, '0'), 'secure', true, true, now()
            FROM generate_series(1, %s) AS g
            """,
            [homes],
        )
        cursor.execute(
            """
            INSERT INTO repairs_job (property_id, trade_id, size, priority_id, description, channel, state,
                kind, attention_reason, due_at, created_at, updated_at)
            SELECT p.first + (g %% %s),
                (SELECT id FROM repairs_trade ORDER BY id LIMIT 1 OFFSET (g %% 10)),
                'S',
                (SELECT id FROM repairs_priority ORDER BY id LIMIT 1 OFFSET (g %% 5)),
                'Bench job', CASE WHEN g %% 7 = 0 THEN 'phone' ELSE 'online' END,
                (ARRAY['reported', 'triaged', 'scheduled', 'in_progress', 'completed', 'closed',
                       'cancelled'])[1 + g %% 7],
                'repair', '',
                now() - interval '400 days' + (g * interval '37 seconds'),
                now() - interval '420 days' + (g * interval '36 seconds'),
                now()
            FROM generate_series(1, %s) AS g, (SELECT min(id) AS first FROM properties_property) AS p
            """,
            [homes, jobs],
        )
        cursor.execute("ANALYZE")


def timed(client, url: str, requests: int) -> list[float]:
    client.get(url)  # warm
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def deep_cursor(query: dict, page: int) -> tuple[str, int]:
    """The `after` cursor that ends page `page - 1` of this view (or the deepest page there is)."""
    from backoffice.filters import QueueFilter
    from backoffice.paging import Cursor
    from backoffice.views.queue import SORTS
    from repairs.models import Job

    jobs = QueueFilter(query or None, queryset=Job.objects.all()).qs if query else Job.objects.all()
    sort = SORTS[query.get("sort", "due")]
    total_pages = max(1, jobs.count() // PAGE)
    page = min(page, total_pages)
    row = jobs.order_by(*sort.order_by)[(page - 1) * PAGE - 1 : (page - 1) * PAGE].first()
    return Cursor(getattr(row, sort.field), row.pk).encode(), page


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server: the benchmark makes and drops its own database there."
        )
    bench_url, admin_url, name = throwaway(url)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    try:
        run(args)
    finally:
        import psycopg
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")


def run(args) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import reset_queries
    from django.http import HttpResponse
    from django.test import Client
    from django.urls import clear_url_caches, include, path

    from repairs.models import Trade
    from tests.workflows.factories import UserFactory

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load(args.jobs)
    print(f"Loaded {args.jobs:,} jobs in {time.perf_counter() - started:.1f} s")

    module = type(sys)("bench_urls")
    module.urlpatterns = [
        path("bench/minimal/", lambda request: HttpResponse("ok")),
        path("", include("config.urls")),
    ]
    sys.modules["bench_urls"] = module
    settings.ROOT_URLCONF = "bench_urls"
    settings.DEBUG = False  # no query log: measure what production does
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    clear_url_caches()

    client = Client()
    client.force_login(UserFactory(username="bench", is_superuser=True))
    minimal = timed(client, "/bench/minimal/", args.requests)
    base_median = statistics.median(minimal)
    print(f"minimal view: median {base_median:.2f} ms, p95 {p95(minimal):.2f} ms")
    plumbing = Trade.objects.order_by("id").first().pk
    views = {
        "all jobs": {},
        "open plumbing": {"open": "yes", "trade": str(plumbing)},
        "phone, by date reported": {"channel": "phone", "sort": "-reported"},
    }
    print(f"{'view':32} {'page':>6} {'median ms':>10} {'p95 ms':>8} {'x minimal':>10}")
    for label, query in views.items():
        for wanted in (1, 10_000):
            params = dict(query)
            page = 1
            if wanted > 1:
                params["after"], page = deep_cursor(query, wanted)
            target = "/back-office/?" + urlencode(params, doseq=True)
            times = timed(client, target, args.requests)
            reset_queries()
            print(
                f"{label:32} {page:>6} {statistics.median(times):>10.2f} {p95(times):>8.2f} "
                f"{statistics.median(times) / base_median:>10.1f}"
            )
            if args.explain and wanted > 1:
                explain(query, params["after"])


def explain(query: dict, after: str) -> None:
    from django.db import connection

    from backoffice import selectors
    from backoffice.filters import QueueFilter
    from backoffice.paging import Cursor, _read
    from backoffice.views.queue import SORTS
    from repairs.models import Job

    jobs = selectors.queue_rows(
        QueueFilter(query or None, queryset=Job.objects.all()).qs if query else Job.objects.all()
    )
    sort = SORTS[query.get("sort", "due")]
    cursor = Cursor.decode(after, is_datetime=True)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        _read(jobs, sort, cursor, PAGE + 1)
    with connection.cursor() as db:
        for item in captured.captured_queries:
            db.execute("EXPLAIN (ANALYZE, BUFFERS) " + item["sql"])
            print("\n".join("    " + row[0] for row in db.fetchall()))


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


if __name__ == "__main__":
    main()
