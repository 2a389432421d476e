"""Benchmark the back-office job queue at 1,000,000 jobs: page 1 against page 10,000, filtered and not.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/backoffice_queue.py [--jobs N] [--requests 40] [--keep NAME] [--explain]

Runs in a PostgreSQL database made for the run and dropped afterwards, or with `--keep NAME` in a
database loaded once and reused by later runs. Estates, blocks, homes and jobs are bulk-loaded with SQL
generate_series, not the ORM. The app is served by gunicorn (2 sync workers, DEBUG off) as production
serves it; a signed-in superuser's GETs are timed one after another over one kept-alive connection, and
so are those of a bare view served the same way: the figures are the queue's median and p95 and their
ratio to the bare view, measured in the same run. Deep pages start from the cursor a reader would have
after 9,999 "Next" clicks (computed once here with OFFSET, which the queue itself never uses).
Target: p95 under 100 ms at any depth.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlparse
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from throwaway import kept_or_throwaway  # noqa: E402  (benchmarks/ is on the path when a script runs)

PAGE = 50
ESTATES = 200
BLOCKS = 5_000


def load(jobs: int) -> None:
    from django.db import connection

    homes = max(1000, jobs // 100)
    with connection.cursor() as cursor:
        # A large council's register: estates and blocks in the thousands, every home in a block.
        cursor.execute(
            "INSERT INTO properties_estate (code, name) SELECT 'E' || g, 'Estate ' || lpad(g::text, 4, '0') "
            "FROM generate_series(1, %s) AS g",
            [ESTATES],
        )
        cursor.execute(
            """
            INSERT INTO properties_block (code, name, estate_id, address_line_1, address_line_2,
                address_line_3, town, postcode, postcode_key, sort_key)
            SELECT 'B' || g, 'Block ' || lpad(g::text, 5, '0'), e.first + (g %% %s), g || ' Block Road', '',
                '', 'Demoton', 'AA1 1AB', 'AA11AB', lpad(g::text, 10, '0')
            FROM generate_series(1, %s) AS g, (SELECT min(id) AS first FROM properties_estate) AS e
            """,
            [ESTATES, BLOCKS],
        )
        cursor.execute(
            """
            INSERT INTO properties_property (property_ref, uprn, address_line_1, address_line_2,
                address_line_3, town, postcode, postcode_key, sort_key, tenure, council_repairs, is_active,
                updated_at, block_id)
            SELECT lpad(g::text, 8, '0'), NULL, g || ' Bench Street', '', '', 'Demoton', 'AA1 1AB', 'AA11AB',
                lpad(g::text, 10, '0'), 'secure', true, true, now(), b.first + (g %% %s)
            FROM generate_series(1, %s) AS g, (SELECT min(id) AS first FROM properties_block) AS b
            """,
            [BLOCKS, homes],
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


def timed(session: str, url: str, requests: int) -> list[float]:
    """Wall-clock milliseconds of `requests` sequential GETs over one kept-alive HTTP connection."""
    parts = urlparse(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Cookie": f"sessionid={session}", "Host": "localhost"}
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    times = []
    for attempt in range(requests + 2):  # two warm-ups: each gunicorn worker's first request is not timed
        start = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        if attempt >= 2:
            times.append((time.perf_counter() - start) * 1000)
        assert response.status == 200, (url, response.status)
    connection.close()
    return times


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn():
    """The app as production serves it: gunicorn, sync workers, DEBUG off."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urlopen(base + "/bench/bare/", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.5)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


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


def production_environment() -> None:
    """DEBUG off, as production runs, for this process and gunicorn's; staff sign-in checks off (the
    benchmark signs its user in by session, and measures the queue, not the login)."""
    from cryptography.fernet import Fernet

    os.environ.update(
        DEBUG="false",
        SECRET_KEY="benchmark-only-" + os.urandom(16).hex(),
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="localhost,127.0.0.1,testserver",
        STATIC_MANIFEST="false",
        SECURE_COOKIES="false",
        HTTPS="false",
        LOG_LEVEL="WARNING",
        STAFF_TWO_FACTOR="false",
        STAFF_LOCKOUT="false",
        DJANGO_SETTINGS_MODULE="benchmarks.bench_settings",
        PYTHONPATH=str(ROOT),
    )
    os.environ.pop("REDIS_URL", None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument(
        "--keep",
        metavar="DATABASE",
        default="",
        help="load into this database once and keep it: later runs with the same name skip the load",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server: the benchmark makes and drops its own database there."
        )
    bench_url, admin_url, name, reused = kept_or_throwaway(url, args.keep, "repairs_bench_queue")
    os.environ["DATABASE_URL"] = bench_url
    production_environment()
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


def signed_in_session() -> str:
    """A session key for a signed-in superuser, made through Django's own login."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.filter(username="bench").first()
    if user is None:
        from tests.workflows.factories import UserFactory

        user = UserFactory(username="bench", is_superuser=True)
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def run(args, reused: bool) -> None:
    from django.core.management import call_command

    from properties.models import Estate
    from repairs.models import Job, Trade

    call_command("migrate", verbosity=0)
    if reused and Job.objects.count() >= args.jobs:
        print(f"Reusing {Job.objects.count():,} jobs in the kept database")
    else:
        started = time.perf_counter()
        load(args.jobs)
        print(f"Loaded {args.jobs:,} jobs in {time.perf_counter() - started:.1f} s")
    session = signed_in_session()
    plumbing = Trade.objects.order_by("id").first().pk
    views = {
        "all jobs": {},
        "open plumbing": {"open": "yes", "trade": str(plumbing)},
        "phone, by date reported": {"channel": "phone", "sort": "-reported"},
        "one estate": {"estate": str(Estate.objects.order_by("id").first().pk)},
    }
    targets = []
    for label, query in views.items():
        for wanted in (1, 10_000):
            params = dict(query)
            page = 1
            if wanted > 1:
                params["after"], page = deep_cursor(query, wanted)
            targets.append((label, page, query, params))
    with gunicorn() as base:
        minimal = timed(session, base + "/bench/bare/", args.requests)
        base_median = statistics.median(minimal)
        print(f"gunicorn, 2 sync workers, DEBUG off; {args.requests} sequential requests per row")
        print(f"bare view: median {base_median:.2f} ms, p95 {p95(minimal):.2f} ms")
        print(f"{'view':32} {'page':>6} {'median ms':>10} {'p95 ms':>8} {'x bare':>8}")
        for label, page, _query, params in targets:
            times = timed(session, base + "/back-office/?" + urlencode(params, doseq=True), args.requests)
            print(
                f"{label:32} {page:>6} {statistics.median(times):>10.2f} {p95(times):>8.2f} "
                f"{statistics.median(times) / base_median:>8.1f}"
            )
    if args.explain:
        for label, page, query, params in targets:
            print(f"\n{label}, page {page}:")
            explain(query, params.get("after", ""))


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
    cursor = Cursor.decode(after, is_datetime=True) if after else None
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
