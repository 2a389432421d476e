"""Benchmark the property register: a 50,000-home CSV import and postcode look-ups.

    DEBUG=true .venv/bin/python benchmarks/property_register.py [--rows 50000] [--lookups 1000]

Runs against a throwaway database, never the developer's data: when DATABASE_URL points at
PostgreSQL it creates (and afterwards drops) the database `repairs_bench` on that server; otherwise it
uses a temporary SQLite file. Targets: import under 60 s; look-up median under 10 ms with the same
number of queries for every postcode.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "repairs_bench"
INCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@contextmanager
def throwaway_database():
    """Point DATABASE_URL at a database made for this run and remove it afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlparse(url)
        admin_url = urlunparse(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
            admin.execute(f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = urlunparse(parts._replace(path=f"/{BENCH_DB}"))
        try:
            yield f"PostgreSQL ({parts.hostname}:{parts.port or 5432}/{BENCH_DB}, dropped afterwards)"
        finally:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    else:
        with tempfile.TemporaryDirectory() as folder:
            os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
            yield "SQLite (temporary file)"


def postcodes():
    for district in range(1, 10):
        for sector in range(1, 10):
            for first in INCODE_LETTERS:
                for second in INCODE_LETTERS:
                    yield f"AA{district} {sector}{first}{second}"


def build_csv(rows: int, block_codes: list[str], rng: random.Random) -> tuple[str, list[str]]:
    """A council-shaped extract: flats in blocks and streets of houses, about 20 homes per postcode."""
    from properties.importing import rows_to_csv

    codes = postcodes()
    used: list[str] = []
    records = []
    postcode = ""
    for number in range(1, rows + 1):
        if number % 20 == 1:
            postcode = next(codes)
            used.append(postcode)
        in_block = number % 5 < 2
        records.append(
            {
                "property_ref": f"{number:08d}",
                "uprn": f"{100_000_000_000 + number}.0" if number % 7 == 0 else str(100_000_000_000 + number),
                "address_line_1": f"Flat {number % 20 + 1}"
                if in_block
                else f"{number % 20 + 1} Bench Street",
                "address_line_2": f"Block {number // 200}" if in_block else "",
                "address_line_3": "",
                "town": "Demoton",
                "postcode": postcode.lower().replace(" ", "") if number % 3 == 0 else postcode,
                "tenure": rng.choice(("secure", "SEC", "leasehold", "introductory", "temporary")),
                "council_repairs": "no" if number % 10 == 0 else "yes",
                "block_ref": block_codes[number % len(block_codes)] if in_block else "",
            }
        )
    return rows_to_csv(records), used


def timed(label: str, action):
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    print(f"  {label:<38} {seconds:8.2f} s", end="")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--lookups", type=int, default=1_000)
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))

    with throwaway_database() as where:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from properties.importing import import_properties
        from properties.models import Block, CommunalArea, CommunalAreaKind, Estate, Property
        from properties.selectors import addresses_at_postcode

        print(f"Property register benchmark on {where}")
        call_command("migrate", verbosity=0)
        rng = random.Random(7)
        estate = Estate.objects.create(code="BENCH", name="Bench Estate")
        blocks = [
            Block(
                code=f"B{n:04d}",
                name=f"Block {n}",
                estate=estate,
                address_line_1=f"Block {n}",
                postcode="AA9 9ZZ",
            )
            for n in range(250)
        ]
        for block in blocks:
            block.refresh_address_keys()
        Block.objects.bulk_create(blocks)
        blocks = list(Block.objects.all())
        CommunalArea.objects.bulk_create(
            [CommunalArea(name="Lift", kind=CommunalAreaKind.LIFT, block=block) for block in blocks]
            + [CommunalArea(name="Car park", kind=CommunalAreaKind.CAR_PARK, estate=estate)]
        )
        text, used_postcodes = build_csv(args.rows, [block.code for block in blocks], rng)
        print(f"  {args.rows:,} rows, {len(text) / 1e6:.1f} MB, {len(used_postcodes):,} postcodes")

        def check(result):
            assert result.ok, result.errors[:5]
            return result

        result, _ = timed("dry run (check every row)", lambda: check(import_properties(text, dry_run=True)))
        print(f"   would create {result.created:,}")
        result, first = timed("import", lambda: check(import_properties(text, dry_run=False)))
        print(f"   created {result.created:,}")
        assert Property.objects.count() == args.rows
        result, _ = timed("re-import, nothing changed", lambda: check(import_properties(text, dry_run=False)))
        print(f"   unchanged {result.unchanged:,}")
        changed = text.replace(",Demoton,", ",Demoton Town,")
        result, _ = timed(
            "re-import, every row changed", lambda: check(import_properties(changed, dry_run=False))
        )
        print(f"   updated {result.updated:,}")
        assert Property.objects.count() == args.rows

        timings, queries, homes = [], set(), []
        for typed in rng.choices(used_postcodes, k=args.lookups):
            typed = typed.lower().replace(" ", "")
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                found = addresses_at_postcode(typed)
                timings.append((time.perf_counter() - started) * 1000)
            queries.add(len(captured.captured_queries))
            homes.append(len(found.homes))
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"  {args.lookups:,} postcode look-ups: median {statistics.median(timings):.2f} ms, "
            f"p95 {p95:.2f} ms, max {timings[-1]:.2f} ms; queries per look-up {sorted(queries)}; "
            f"homes per postcode {statistics.mean(homes):.1f}"
        )
        verdict = "met" if first < 60 and statistics.median(timings) < 10 and len(queries) == 1 else "MISSED"
        print(f"  targets (import < 60 s, median look-up < 10 ms, constant queries): {verdict}")


if __name__ == "__main__":
    main()
