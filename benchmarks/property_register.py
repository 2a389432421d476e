"""Benchmark the property register at a given size: import time and peak memory, and postcode look-ups.

    DEBUG=true .venv/bin/python benchmarks/property_register.py --homes 50000 --homes 1600000 [--explain]

Each size runs in a child process of its own, so the peak resident memory reported (getrusage's
ru_maxrss, which counts what C code allocates too, unlike tracemalloc) is that size's alone. The register
is council-shaped at every size: a block per 50 homes with three communal areas, an estate per 20 blocks
with four (1,600,000 homes have 32,000 blocks and 102,400 communal areas), about 20 homes per postcode,
two in five of them flats. The CSV is written to a temporary file as a stream and imported from it as
the import_properties command does.

Runs against a throwaway database, never the developer's data: when DATABASE_URL points at PostgreSQL it
creates (and afterwards drops) a database named for the run on that server; otherwise it uses a
temporary SQLite file. Targets: import peak memory within 1.5x from the smallest to the largest size;
look-up medians under 10 ms and within 1.5x of each other, with the same number of queries for every
postcode. --explain prints EXPLAIN (ANALYZE, BUFFERS) of each look-up query (PostgreSQL).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
INCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
HOMES_PER_POSTCODE = 20
HOMES_PER_BLOCK = 50
BLOCKS_PER_ESTATE = 20
BLOCK_AREAS = (("Stairwell", "stairwell"), ("Lift", "lift"), ("Door entry", "door_entry"))
ESTATE_AREAS = (
    ("Car park", "car_park"),
    ("Grounds", "grounds"),
    ("Lighting", "lighting"),
    ("Bins", "bin_store"),
)
RESULT_PREFIX = "RESULT "


@contextmanager
def throwaway_database() -> Iterator[str]:
    """Point DATABASE_URL at a database made for this run and remove it afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"repairs_bench_{os.getpid()}"
        parts = urlparse(url)
        admin_url = urlunparse(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
            admin.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = urlunparse(parts._replace(path=f"/{name}"))
        try:
            yield f"PostgreSQL ({parts.hostname}:{parts.port or 5432}/{name}, dropped afterwards)"
        finally:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name}")
    else:
        with tempfile.TemporaryDirectory() as folder:
            os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
            yield "SQLite (temporary file)"


def postcode_at(index: int) -> str:
    """The index-th made-up postcode in the AA area (not a real postcode area): AA1 0AA, AA1 0AB, ..."""
    unit, rest = index % 400, index // 400
    sector, district = rest % 10, rest // 10 + 1
    return f"AA{district} {sector}{INCODE_LETTERS[unit // 20]}{INCODE_LETTERS[unit % 20]}"


def block_code(index: int) -> str:
    return f"B{index:06d}"


def home_rows(homes: int, town: str) -> Iterator[dict[str, str]]:
    """A council-shaped extract, one row at a time: flats in blocks and streets of houses."""
    tenures = ("secure", "SEC", "leasehold", "introductory", "temporary")
    for number in range(1, homes + 1):
        postcode = postcode_at((number - 1) // HOMES_PER_POSTCODE)
        block = (number - 1) // HOMES_PER_BLOCK
        in_block = number % 5 < 2
        yield {
            "property_ref": f"{number:08d}",
            "uprn": f"{100_000_000_000 + number}.0" if number % 7 == 0 else str(100_000_000_000 + number),
            "address_line_1": f"Flat {number % 20 + 1}" if in_block else f"{number % 20 + 1} Bench Street",
            "address_line_2": f"Block {block}" if in_block else "",
            "address_line_3": "",
            "town": town,
            "postcode": postcode.lower().replace(" ", "") if number % 3 == 0 else postcode,
            "tenure": tenures[number % len(tenures)],
            "council_repairs": "no" if number % 10 == 0 else "yes",
            "block_ref": block_code(block) if in_block else "",
        }


def write_extract(path: Path, homes: int, town: str) -> int:
    from properties.importing import write_csv

    with path.open("w", encoding="utf-8", newline="") as out:
        write_csv(out, home_rows(homes, town))
    return path.stat().st_size


def create_blocks_and_areas(homes: int) -> tuple[int, int]:
    """Estates, blocks and their communal areas, written in batches so setup memory stays flat too."""
    from properties.models import Block, CommunalArea, Estate

    blocks = -(-homes // HOMES_PER_BLOCK)
    estates = -(-blocks // BLOCKS_PER_ESTATE)
    Estate.objects.bulk_create(Estate(code=f"E{n:05d}", name=f"Estate {n}") for n in range(estates))
    estate_ids = dict(Estate.objects.values_list("code", "pk"))
    for start in range(0, blocks, 2000):
        batch = []
        for n in range(start, min(start + 2000, blocks)):
            block = Block(
                code=block_code(n),
                name=f"Block {n}",
                estate_id=estate_ids[f"E{n // BLOCKS_PER_ESTATE:05d}"],
                address_line_1=f"Block {n}",
                postcode=postcode_at(n * HOMES_PER_BLOCK // HOMES_PER_POSTCODE),
            )
            block.refresh_address_keys()
            batch.append(block)
        Block.objects.bulk_create(batch)
    areas = 0
    for ids in _chunks(Block.objects.order_by("pk").values_list("pk", flat=True).iterator(), 2000):
        made = [CommunalArea(name=name, kind=kind, block_id=pk) for pk in ids for name, kind in BLOCK_AREAS]
        CommunalArea.objects.bulk_create(made)
        areas += len(made)
    made = [
        CommunalArea(name=name, kind=kind, estate_id=pk)
        for pk in estate_ids.values()
        for name, kind in ESTATE_AREAS
    ]
    CommunalArea.objects.bulk_create(made, batch_size=2000)
    return blocks, areas + len(made)


def _chunks(items, size: int):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (ru_maxrss is in kilobytes on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, action):
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    print(f"  {label:<38} {seconds:8.2f} s   peak RSS so far {peak_rss_mb():7.1f} MB", flush=True)
    return result, seconds


def run_size(homes: int, lookups: int, explain: bool) -> dict:
    """One size in this (child) process: build the register, import it, look postcodes up."""
    with throwaway_database() as where:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from properties.csv_upload import open_upload
        from properties.importing import import_properties
        from properties.models import Property
        from properties.selectors import addresses_at_postcode

        print(f"Property register benchmark, {homes:,} homes, on {where}", flush=True)
        call_command("migrate", verbosity=0)
        blocks, areas = create_blocks_and_areas(homes)
        folder = Path(tempfile.mkdtemp(prefix="register-bench-"))
        extract, changed = folder / "homes.csv", folder / "homes-changed.csv"
        size = write_extract(extract, homes, "Demoton")
        write_extract(changed, homes, "Demoton Town")
        print(f"  {blocks:,} blocks, {areas:,} communal areas; CSV {size / 1e6:.1f} MB", flush=True)
        baseline = peak_rss_mb()

        def run(path: Path, dry_run: bool):
            with path.open("rb") as binary:
                result = import_properties(open_upload(binary), dry_run=dry_run)
            assert result.ok, result.errors[:5]
            return result

        result, dry = timed("dry run (check every row)", lambda: run(extract, True))
        result, first = timed("import", lambda: run(extract, False))
        assert result.created == homes and Property.objects.count() == homes
        result, same = timed("re-import, nothing changed", lambda: run(extract, False))
        assert result.unchanged == homes
        result, every = timed("re-import, every row changed", lambda: run(changed, False))
        assert result.updated == homes
        import_peak = peak_rss_mb()
        for path in (extract, changed):
            path.unlink()
        folder.rmdir()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM ANALYZE")
            else:
                cursor.execute("ANALYZE")

        # Django keeps the last 9,000 queries; once the import has filled that log, CaptureQueriesContext
        # would see none, so empty it before counting the look-ups' queries.
        connection.queries_log.clear()
        rng = random.Random(7)
        used = (homes - 1) // HOMES_PER_POSTCODE + 1
        timings, queries, found_homes, found_areas = [], set(), [], []
        for index in rng.choices(range(used), k=lookups):
            typed = postcode_at(index).lower().replace(" ", "")
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                found = addresses_at_postcode(typed)
                timings.append((time.perf_counter() - started) * 1000)
            queries.add(len(captured.captured_queries))
            found_homes.append(len(found.homes) + len(found.not_repaired))
            found_areas.append(len(found.communal_areas))
        timings.sort()
        median, p95 = statistics.median(timings), timings[int(len(timings) * 0.95) - 1]
        print(
            f"  {lookups:,} postcode look-ups: median {median:.2f} ms, p95 {p95:.2f} ms, "
            f"max {timings[-1]:.2f} ms; queries per look-up {sorted(queries)}; "
            f"homes per postcode {statistics.mean(found_homes):.1f}, "
            f"communal areas {statistics.mean(found_areas):.1f}",
            flush=True,
        )
        if explain and connection.vendor == "postgresql":
            explain_lookup(postcode_at(used // 2), connection)
        return {
            "homes": homes,
            "import_s": round(first, 2),
            "dry_run_s": round(dry, 2),
            "reimport_same_s": round(same, 2),
            "reimport_changed_s": round(every, 2),
            "baseline_mb": round(baseline, 1),
            "import_peak_mb": round(import_peak, 1),
            "lookup_median_ms": round(median, 2),
            "lookup_p95_ms": round(p95, 2),
            "queries": sorted(queries),
        }


def explain_lookup(postcode: str, connection) -> None:
    """Print the plan PostgreSQL ran for each query of one look-up."""
    from django.test.utils import CaptureQueriesContext

    from properties.selectors import addresses_at_postcode

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        addresses_at_postcode(postcode)
    for number, query in enumerate(captured.captured_queries, start=1):
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\n  Query {number} of the look-up of {postcode}:\n  {query['sql']}\n\n{plan}\n", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--homes", type=int, action="append", help="a register size; repeat for several")
    parser.add_argument("--lookups", type=int, default=1_000)
    parser.add_argument("--explain", action="store_true", help="print each look-up query's plan")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sizes = args.homes or [50_000]

    if args.child:
        sys.path.insert(0, str(ROOT))
        print(RESULT_PREFIX + json.dumps(run_size(sizes[0], args.lookups, args.explain)), flush=True)
        return

    results = []
    for homes in sizes:
        command = [sys.executable, __file__, "--child", "--homes", str(homes), "--lookups", str(args.lookups)]
        if args.explain:
            command.append("--explain")
        child = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
        for line in child.stdout.splitlines():
            if line.startswith(RESULT_PREFIX):
                results.append(json.loads(line.removeprefix(RESULT_PREFIX)))
            else:
                print(line)
    print("\n  homes       import s  peak MB  (setup MB)  look-up median ms  p95 ms  queries")
    for r in results:
        print(
            f"  {r['homes']:<11,} {r['import_s']:8.1f} {r['import_peak_mb']:8.1f} {r['baseline_mb']:10.1f}"
            f"  {r['lookup_median_ms']:17.2f} {r['lookup_p95_ms']:7.2f}  {r['queries']}"
        )
    if len(results) > 1:
        small, large = results[0], results[-1]
        memory = large["import_peak_mb"] / small["import_peak_mb"]
        lookup = large["lookup_median_ms"] / small["lookup_median_ms"]
        met = (
            memory <= 1.5
            and lookup <= 1.5
            and all(r["lookup_median_ms"] < 10 and len(r["queries"]) == 1 for r in results)
        )
        print(
            f"  {large['homes']:,} vs {small['homes']:,} homes: peak memory x{memory:.2f}, "
            f"look-up median x{lookup:.2f}; targets (x1.5, x1.5, median < 10 ms, constant queries): "
            f"{'met' if met else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
