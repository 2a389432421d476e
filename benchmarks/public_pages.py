"""Benchmark the public pages against a bare Django view, served by gunicorn as production serves them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/public_pages.py

Creates (and afterwards drops) the PostgreSQL database `repairs_bench_public`, migrates it, loads the
demo council and starter content (`setup_demo`), then bulk-loads 200,000 homes and jobs with a report
and three events each in SQL. At 10,000 jobs and again at 1,000,000 it serves the app with gunicorn
(2 sync workers, DEBUG off) and prints, for the bare view, the home page, a diagnosis question, a
self-help guide and the public status page: requests per second (wrk, loopback), the ratio to the bare
view, and the queries one request runs (counted in-process through the test client, first and repeat).
Targets: home, question and guide at least 0.25 of the bare view; the status page at least 0.5; the
same queries at both sizes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "repairs_bench_public"
HOMES = 200_000
JOB_SIZES = (10_000, 1_000_000)
EVENTS_PER_JOB = 3
INCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
PAGES = (
    ("bare view", "/bench/bare/"),
    ("home page", "/"),
    ("diagnosis question", "/report-a-repair/where-is-the-problem/"),
    ("self-help guide", "/bleed-a-radiator/"),
)


@contextmanager
def throwaway_database():
    """Point DATABASE_URL at a PostgreSQL database made for this run and drop it afterwards."""
    import psycopg

    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    parts = urlparse(url)
    admin_url = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        admin.execute(f"CREATE DATABASE {BENCH_DB}")
    os.environ["DATABASE_URL"] = urlunparse(parts._replace(path=f"/{BENCH_DB}"))
    try:
        yield f"PostgreSQL {parts.hostname}:{parts.port or 5432}/{BENCH_DB} (dropped afterwards)"
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def production_environment() -> None:
    """DEBUG off with the settings production must give, for this process and gunicorn's."""
    from cryptography.fernet import Fernet

    os.environ.update(
        DEBUG="false",
        SECRET_KEY="benchmark-only-" + os.urandom(16).hex(),
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="localhost,127.0.0.1,testserver",
        STATIC_MANIFEST="false",  # no collectstatic needed; static files are not what is measured
        SECURE_COOKIES="false",
        HTTPS="false",  # wrk and the start-up probe speak plain http over loopback
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="benchmarks.bench_settings",
        PYTHONPATH=str(ROOT),
    )
    os.environ.pop("REDIS_URL", None)


def load_homes(cursor, *, homes: int = HOMES, per_postcode: int = 0) -> None:
    """Homes BENCH1..; with `per_postcode`, that many share each postcode (a UK postcode has about 15
    addresses), otherwise they share 63 postcodes."""
    if per_postcode:
        # ZY1 0AA ... ZY99 9ZZ: shaped like a real postcode (the inward letters a postcode may use).
        letters = INCODE_LETTERS
        outward = "'ZY' || (n / %(per)s / 4000 %% 99 + 1)"
        inward = (
            f"(n / %(per)s / 400 %% 10) || substr('{letters}', n / %(per)s / 20 %% 20 + 1, 1)"
            f" || substr('{letters}', n / %(per)s %% 20 + 1, 1)"
        )
        postcode, key = f"{outward} || ' ' || {inward}", f"{outward} || {inward}"
    else:
        postcode = "'ZZ' || (n %% 9 + 1) || ' ' || (n %% 7 + 1) || 'AB'"
        key = "'ZZ' || (n %% 9 + 1) || (n %% 7 + 1) || 'AB'"
    cursor.execute(
        f"""
        INSERT INTO properties_property (address_line_1, address_line_2, address_line_3, town, postcode,
            postcode_key, sort_key, property_ref, uprn, tenure, council_repairs, is_active, updated_at)
        SELECT n || ' Bench Street', '', '', 'Demoton', {postcode}, {key},
            lpad(n::text, 8, '0'), 'BENCH' || n, 900000000000 + n, 'secure', true, true, now()
        FROM generate_series(1, %(homes)s) AS n
        """,
        {"homes": homes, "per": per_postcode or 1},
    )


def load_jobs(cursor, first: int, last: int, *, realistic: bool = False) -> None:
    """Jobs first..last, each with one report and EVENTS_PER_JOB public events.

    `realistic`: jobs spread over three years, those older than 30 days finished (about 2% stay
    open, as in a working service), trades and priorities taken in turn, and references in the
    phone-readable RP-XXXXXX shape (a bijection of the job id, so unique) that the status look-up
    accepts.
    """
    cursor.execute("SELECT array_agg(id ORDER BY id) FROM repairs_trade")
    trades = cursor.fetchone()[0]
    cursor.execute(
        "SELECT array_agg(id ORDER BY id) FROM repairs_priority WHERE %s OR NOT is_emergency", [not realistic]
    )
    priorities = cursor.fetchone()[0]
    if not realistic:
        trades, priorities = trades[:1], priorities[:1]
    cursor.execute("SELECT min(id), count(*) FROM properties_property WHERE property_ref LIKE 'BENCH%%'")
    first_home, homes = cursor.fetchone()
    cursor.execute("SELECT coalesce(max(id), 0) FROM repairs_job")
    offset = cursor.fetchone()[0]
    if realistic:
        age = "(n %% 1095) * interval '1 day' + (n %% 86400) * interval '1 second'"
        state = """CASE WHEN n %% 1095 >= 30
                THEN (ARRAY['closed','closed','closed','closed','closed','completed','cancelled'])[1 + n %% 7]
                ELSE (ARRAY['reported','triaged','scheduled','scheduled','in_progress','completed',
                    'closed'])[1 + n %% 7] END"""
    else:
        age = "(n %% 365) * interval '1 day'"
        state = "(ARRAY['reported','triaged','scheduled','completed','closed'])[1 + n %% 5]"
    cursor.execute(
        f"""
        INSERT INTO repairs_job (id, size, description, due_at, channel, state, created_at, updated_at,
            property_id, priority_id, trade_id, attention_reason, kind)
        OVERRIDING SYSTEM VALUE
        SELECT %(offset)s + n, 'S', 'Dripping tap in the kitchen', now() - {age} + interval '20 days',
            'online', {state}, now() - {age}, now(), %(first_home)s + n %% %(homes)s,
            (%(priorities)s::bigint[])[1 + n %% %(priority_count)s],
            (%(trades)s::bigint[])[1 + n %% %(trade_count)s], '', 'repair'
        FROM generate_series(%(first)s, %(last)s) AS n
        """,
        {
            "offset": offset,
            "first_home": first_home,
            "homes": homes,
            "priorities": priorities,
            "priority_count": len(priorities),
            "trades": trades,
            "trade_count": len(trades),
            "first": first,
            "last": last,
        },
    )
    if realistic:
        # 7919 is prime to 31**6, so id -> (id * 7919 + 104729) mod 31**6 never repeats.
        digits = " || ".join(
            f"substr(%(alphabet)s::text, (((j.id * 7919 + 104729) %% 887503681 / {31**k}) %% 31 + 1)::int, 1)"
            for k in range(6)
        )
        reference = f"'RP-' || {digits}"
    else:
        reference = "'BX' || j.id"
    cursor.execute(
        f"""
        INSERT INTO repairs_report (reference, status_token, diagnosis, description, contact_name,
            contact_phone, contact_email, update_preference, access_notes, channel, created_at, job_id,
            reporter_property_id)
        SELECT {reference}, md5('token' || j.id) || md5('bench' || j.id), '[]', j.description,
            'Bench Resident', '07700 900000', '', 'none', '', 'online', j.created_at, j.id, j.property_id
        FROM repairs_job j WHERE j.id > %(offset)s AND j.id <= %(offset)s + %(last)s
        """,
        {"offset": offset, "last": last, "alphabet": "23456789ABCDEFGHJKMNPQRSTUVWXYZ"},
    )
    cursor.execute(
        """
        INSERT INTO workflows_jobevent (actor_name, occurred_at, action, from_state, to_state, note,
            is_public, job_id, public_note)
        SELECT 'Repairs team', j.created_at + e * interval '1 hour',
            (ARRAY['report','triage','schedule'])[e], (ARRAY['','reported','triaged'])[e],
            (ARRAY['reported','triaged','scheduled'])[e], '', true, j.id,
            (ARRAY['We have your report','We have looked at your repair','Your repair is booked'])[e]
        FROM repairs_job j CROSS JOIN generate_series(1, %(events)s) AS e
        WHERE j.id > %(offset)s AND j.id <= %(offset)s + %(last)s
        """,
        {"offset": offset, "last": last, "events": EVENTS_PER_JOB},
    )
    # The ids above were given, not drawn: move the sequence past them so the app's own jobs fit.
    cursor.execute("SELECT setval(pg_get_serial_sequence('repairs_job', 'id'), max(id)) FROM repairs_job")
    cursor.execute("ANALYZE")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn():
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        base = f"http://localhost:{port}"
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


def requests_per_second(url: str, seconds: int) -> float:
    """wrk over loopback: a short warm-up (every worker fills its cache), then a timed run."""
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("wrk is not installed (apt-get install -y wrk)")
    subprocess.run([wrk, "-t1", "-c4", "-d2s", url], capture_output=True, check=True, timeout=60)
    out = subprocess.run(
        [wrk, "-t2", "-c8", f"-d{seconds}s", url], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    if "Non-2xx" in out or "Socket errors" in out or not rate:
        raise RuntimeError(f"{url} answered errors under load:\n{out}")
    return rate


def queries_per_request(path: str) -> tuple[int, int]:
    """Queries of a first and a repeat request, in-process through the test client on the same database."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    cache.clear()
    client = Client(HTTP_HOST="localhost")
    seen: list[str] = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    counts = []
    for _ in range(2):
        seen.clear()
        with connection.execute_wrapper(count):
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        counts.append(len(seen))
    return counts[0], counts[1]


def status_path() -> str | None:
    from django.urls import NoReverseMatch, reverse

    from repairs.models import Report

    report = Report.objects.filter(reference__startswith="BX").order_by("-id").first()
    try:
        return reverse("repairs:status", kwargs={"token": report.status_token})
    except NoReverseMatch:
        return None


def measure(jobs: int, seconds: int) -> dict:
    pages = list(PAGES)
    path = status_path()
    if path:
        pages.append(("status page", path))
    measured = [(label, url) for label, url in pages if url != "/bench/bare/"]
    for _, url in measured:
        queries_per_request(url)  # one-off work (the settings row, the first session) is not counted
    counts = {label: queries_per_request(url) for label, url in measured}
    rates = {}
    with gunicorn() as base:
        for label, url in pages:
            rates[label] = requests_per_second(base + url, seconds)
    bare = rates["bare view"]
    print(f"\n  {jobs:,} jobs ({HOMES:,} homes, {EVENTS_PER_JOB} events a job)")
    print(f"  {'':<20} {'req/s':>8} {'ratio':>7} {'queries (first, repeat)':>25}")
    for label, _ in (*PAGES, ("status page", None)):
        if label not in rates:
            print(f"  {label:<20} not available (no URL named repairs:status yet)")
            continue
        first, repeat = counts.get(label, (0, 0))
        q = f"{first}, {repeat}" if label != "bare view" else "-"
        print(f"  {label:<20} {rates[label]:>8.0f} {rates[label] / bare:>7.3f} {q:>25}")
    return {"rates": rates, "counts": counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument(
        "--jobs", default=",".join(map(str, JOB_SIZES)), help="job counts to measure at, comma-separated"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    production_environment()
    with throwaway_database() as where:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        print(f"Public pages benchmark on {where}; gunicorn 2 sync workers, DEBUG off; wrk -t2 -c8")
        call_command("migrate", verbosity=0)
        call_command("setup_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
            load_homes(cursor)
            loaded = 0
            results = []
            sizes = [int(size) for size in args.jobs.split(",")]
            for jobs in sizes:
                step = time.perf_counter()
                load_jobs(cursor, loaded + 1, jobs)
                loaded = jobs
                print(f"\n  loaded {jobs:,} jobs in {time.perf_counter() - step:.0f} s")
                results.append(measure(jobs, args.seconds))
        same = results[0]["counts"] == results[-1]["counts"]
        print(f"\n  queries the same at {sizes[0]:,} and {sizes[-1]:,} jobs: {'yes' if same else 'NO'}")
        print(f"  whole run {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
