"""A storm-day load test: residents reporting, diagnosing and chasing, staff working the queue, all at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/storm_day.py \
        --keep repairs_storm [--minutes 5] [--scales 1] [--saturate 2,4,8,16] [--saturate-minutes 2]

What it serves: gunicorn (4 sync workers unless `--workers` says), DEBUG off, the project's own
settings (the bench settings module only adds `bench/bare/`), a private Redis as cache and Celery broker,
one Celery worker taking the notifications a report queues, PostgreSQL with 200,000 homes (about 15 to a
postcode) and 1,000,000 jobs, each with a report and three public events, spread over three years; those
older than 30 days are finished, so about 2% are open. `--keep NAME` loads that database once and reuses
it. The demo council, the starter diagnosis content and the scheduling demo come from `setup_demo`.

What it asks (locust, headless, `benchmarks/locustfile.py`, stopping after `--minutes`): residents walk
the diagnosis from the home page and report a repair through every page of the journey, with the CSRF
token and the check page's submission token, then open the status page; others walk to self-help advice;
chasers open their status link or type reference and postcode; signed-in staff (password and
authenticator code, as production asks) read the queue's first page, a filtered page and page 10,000;
and a bare Django view is asked once a second throughout, the ceiling every page is compared with.

The rate, for the largest council landlord (about 59,000 homes) at 3.5 repairs a home a year:

    59,000 x 3.5 = 206,500 repairs a year; / 253 working days = 816 a working day
    busiest day  = 1.5 x an average working day (Mondays and the first cold weeks)  = 1,224
    busiest hour = 15% of that day (calls bunch from 8 to 11; a flat 8-hour day is 12.5%) = 184 reports
    storm day    = 3.3 x the busiest hour = 606 reports an hour = 0.168 a second, every one online
    chasers      = one a report (the alpha report: about half of all calls chase an existing repair)
    self-help    = half a diagnosis walk a report ends in advice instead
    staff        = 40 people (managers, agents) each reading a queue page every 30 seconds

Each report is about 30 requests (home, start, three question reads and answers, the outcome, eleven
journey pages read and answered, confirmation, status), so the storm hour is about 8 requests a second
with the bare-view probe. `--saturate` repeats the mix at those multiples until a level fails: an error,
a p95 over 1 s, or visits falling below 90% of plan. For each level it prints the requests per second
held, failures, median and p95 per endpoint with their ratio to the bare view measured in the same run,
and what the two cores did, per process group (gunicorn, PostgreSQL for this database, Redis, Celery,
locust, everything else).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from backoffice_queue import deep_cursor  # noqa: E402  (benchmarks/ is on the path)
from public_pages import free_port, load_homes, load_jobs, production_environment  # noqa: E402
from throwaway import kept_or_throwaway  # noqa: E402

HOMES = 200_000
JOBS = 1_000_000
HOMES_PER_POSTCODE = 15
WORKERS = 4

LARGEST_COUNCIL_HOMES = 59_000
REPAIRS_PER_HOME_A_YEAR = 3.5
WORKING_DAYS = 253
BUSIEST_DAY = 1.5
BUSIEST_HOUR_SHARE = 0.15
STORM = 3.3
CHASERS_PER_REPORT = 1.0
ADVICE_WALKS_PER_REPORT = 0.5
LOOKUP_BY_REFERENCE_SHARE = 0.2
STAFF = 40
STAFF_PAGE_EVERY_S = 30
BARE_EVERY_S = 1.0
REQUESTS_PER_VISIT = {"reporter": 30, "self_helper": 8, "chaser": 1.4, "staff": 1, "bare": 1}
P95_LIMIT_MS = 1000


def storm_reports_per_second() -> float:
    per_day = LARGEST_COUNCIL_HOMES * REPAIRS_PER_HOME_A_YEAR / WORKING_DAYS
    return per_day * BUSIEST_DAY * BUSIEST_HOUR_SHARE * STORM / 3600


def plan(scale: float) -> dict:
    """Users of each kind and the seconds between one user's visits, for `scale` x the storm rate."""
    reports = storm_reports_per_second() * scale
    rates = {
        "reporter": (reports, 60),
        "self_helper": (reports * ADVICE_WALKS_PER_REPORT, 60),
        "chaser": (reports * CHASERS_PER_REPORT, 30),
        "staff": (STAFF * scale / STAFF_PAGE_EVERY_S, STAFF_PAGE_EVERY_S),
        "bare": (1 / BARE_EVERY_S, BARE_EVERY_S),
    }
    result = {}
    for kind, (rate, pacing) in rates.items():
        users = max(1, math.ceil(rate * pacing))
        result[kind] = {"users": users, "pacing": users / rate, "rate": rate}
    return result


def planned_requests_per_second(kinds: dict) -> float:
    return sum(entry["rate"] * REQUESTS_PER_VISIT[kind] for kind, entry in kinds.items())


def load(homes: int, jobs: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:  # all or nothing, so --keep never reuses half
        call_command("setup_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        cursor.execute("SET synchronous_commit TO off")
        load_homes(cursor, homes=homes, per_postcode=HOMES_PER_POSTCODE)
        step = 250_000
        for first in range(1, jobs + 1, step):
            load_jobs(cursor, first, min(jobs, first + step - 1), realistic=True)
            print(f"  loaded {min(jobs, first + step - 1):,} jobs ({time.perf_counter() - started:.0f} s)")
    print(f"Loaded {homes:,} homes and {jobs:,} jobs in {time.perf_counter() - started:.0f} s")


def diagnosis_walks() -> tuple[list[dict], list[dict]]:
    """Every path through the live diagnosis tree: to in-home bookable outcomes, and to advice."""
    from cms.models import DiagnosisStartPage, OutcomePage, OutcomeType, QuestionPage, RepairLocation

    report_walks, advice_walks = [], []
    for start in DiagnosisStartPage.objects.live():
        if start.first_question_id is None:
            continue
        pending = [(start.first_question.specific, [])]
        while pending:
            question, steps = pending.pop()
            for answer in question.answers.all():
                step = [*steps, [question.url, answer.pk]]
                target = answer.next_page.specific
                if isinstance(target, QuestionPage) and len(step) < 8:
                    pending.append((target, step))
                elif isinstance(target, OutcomePage) and target.live:
                    walk = {"start": start.url, "steps": step, "outcome": target.url}
                    if (
                        target.outcome_type == OutcomeType.BOOKABLE
                        and target.location == RepairLocation.IN_HOME
                    ):
                        report_walks.append(dict(walk, outcome_kind="diagnosis outcome (bookable)"))
                    elif target.outcome_type != OutcomeType.BOOKABLE:
                        advice_walks.append(dict(walk, outcome_kind="diagnosis outcome (advice)"))
    return report_walks, advice_walks


def staff_sessions(count: int) -> list[str]:
    """Signed-in sessions of staff who have given their authenticator code, as production requires."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    group = Group.objects.get(name="Repairs managers")
    sessions = []
    for n in range(count):
        user, _ = get_user_model().objects.get_or_create(
            username=f"storm-staff-{n}", defaults={"email": f"storm-staff-{n}@example.invalid"}
        )
        user.is_staff, user.is_active = True, True
        user.save()
        user.groups.add(group)
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="storm", defaults={"confirmed": True})
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        sessions.append(session.session_key)
    return sessions


def test_data(folder: Path) -> Path:
    from django.db import connection

    from repairs.models import Trade

    report_walks, advice_walks = diagnosis_walks()
    if not report_walks or not advice_walks:
        sys.exit("The diagnosis content has no in-home bookable outcome or no advice outcome to walk to.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT postcode FROM (SELECT DISTINCT postcode FROM properties_property "
            "WHERE property_ref LIKE 'BENCH%%') AS p ORDER BY random() LIMIT 3000"
        )
        postcodes = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            """
            SELECT r.reference, p.postcode, r.status_token FROM repairs_report r
            JOIN repairs_job j ON j.id = r.job_id JOIN properties_property p ON p.id = j.property_id
            WHERE j.state NOT IN ('closed', 'cancelled') AND r.reference LIKE 'RP-%%'
            ORDER BY random() LIMIT 5000
            """
        )
        lookups = [list(row) for row in cursor.fetchall()]
    trade = Trade.objects.order_by("id").first().pk
    after, _ = deep_cursor({}, 10_000)
    data = {
        "report_walks": report_walks,
        "advice_walks": advice_walks,
        "postcodes": postcodes,
        "lookups": lookups,
        "lookup_by_reference_share": LOOKUP_BY_REFERENCE_SHARE,
        "staff_sessions": staff_sessions(STAFF),
        "queue": {
            "page1": "/back-office/",
            "filtered": f"/back-office/?open=yes&trade={trade}",
            "deep": f"/back-office/?after={after}",
        },
    }
    path = folder / "storm-data.json"
    path.write_text(json.dumps(data))
    print(
        f"Test data: {len(report_walks)} paths to a bookable repair, {len(advice_walks)} to advice, "
        f"{len(postcodes):,} postcodes, {len(lookups):,} open reports to chase, {STAFF} staff sessions"
    )
    return path


@contextmanager
def process(command: list[str], name: str, log: Path, ready_url: str = ""):
    """A process (and its children) for the length of the block, in its own group so all of it stops."""
    with open(log, "ab") as out:
        child = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=out, start_new_session=True)
    try:
        if ready_url:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urlopen(ready_url, timeout=5) as response:
                        if response.status == 200:
                            break
                except OSError:
                    if time.monotonic() > deadline or child.poll() is not None:
                        raise RuntimeError(f"{name} did not start; see {log}") from None
                    time.sleep(0.5)
        yield child
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()


class CoreSampler:
    """CPU seconds per process group, from psutil once a second, and the machine's idle time."""

    def __init__(self, groups: dict[str, int], database: str) -> None:
        self.groups, self.database = groups, database
        self.seen: dict[int, tuple[str, float]] = {}
        self.used: dict[str, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def group_of(self, proc) -> str:
        import psutil

        try:
            chain = [proc.pid] + [parent.pid for parent in proc.parents()]
            name = proc.name()
            words = proc.cmdline()
        except psutil.Error:
            return "other: gone"
        line = " ".join(words)
        for group, pid in self.groups.items():
            if pid in chain:
                return group
        if name == "postgres" or line.startswith("postgres"):
            return f"postgres ({self.database})" if f" {self.database} " in line else "postgres (other work)"
        if name.startswith("python"):  # name the script or module, not the interpreter
            script = next((w for w in words[1:] if not w.startswith("-")), name)
            name = Path(script).name
        return f"other: {name}"

    def sample(self) -> None:
        import psutil

        for proc in psutil.process_iter():
            try:
                times = proc.cpu_times()
                busy = times.user + times.system
                created = proc.create_time()
            except psutil.Error:
                continue
            if proc.pid not in self.seen:
                group = self.group_of(proc)
                # A process born during the run counts from zero; one already running from now.
                self.seen[proc.pid] = (group, 0.0 if created > self.started_at else busy)
            group, before = self.seen[proc.pid]
            self.used[group] = self.used.get(group, 0.0) + busy - before
            self.seen[proc.pid] = (group, busy)

    def run(self) -> None:
        while not self.stop.wait(1.0):
            self.sample()

    def __enter__(self) -> CoreSampler:
        import psutil

        self.started_at = time.time()
        self.cpu_before = psutil.cpu_times()
        self.wall = time.monotonic()
        self.sample()
        self.used.clear()
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        import psutil

        self.stop.set()
        self.thread.join()
        self.sample()
        self.wall = time.monotonic() - self.wall
        after = psutil.cpu_times()
        self.idle = (after.idle + getattr(after, "iowait", 0)) - (
            self.cpu_before.idle + getattr(self.cpu_before, "iowait", 0)
        )
        self.steal = getattr(after, "steal", 0) - getattr(self.cpu_before, "steal", 0)

    def table(self) -> list[str]:
        cores = os.cpu_count() or 1
        capacity = self.wall * cores
        lines = [f"  {'process group':<32} {'CPU s':>8} {'cores':>6} {'share':>7}"]
        groups = {group: used for group, used in self.used.items() if not group.startswith("other: ")}
        others = sorted(
            ((group[7:], used) for group, used in self.used.items() if group.startswith("other: ")),
            key=lambda item: -item[1],
        )
        groups["other processes"] = sum(used for _, used in others)
        for group, used in sorted(groups.items(), key=lambda item: -item[1]):
            lines.append(f"  {group:<32} {used:>8.1f} {used / self.wall:>6.2f} {used / capacity:>7.1%}")
            if group == "other processes":
                lines.append("    of which " + ", ".join(f"{name} {used:.1f} s" for name, used in others[:5]))
        lines.append(
            f"  {'idle (incl. I/O wait)':<32} {self.idle:>8.1f} {self.idle / self.wall:>6.2f} "
            f"{self.idle / capacity:>7.1%}"
        )
        if self.steal:
            lines.append(f"  {'stolen by the hypervisor':<32} {self.steal:>8.1f}")
        return lines


def read_stats(prefix: Path) -> tuple[list[dict], dict]:
    """Locust's rows per endpoint, and its row for all requests together."""
    with open(f"{prefix}_stats.csv") as handle:
        rows = list(csv.DictReader(handle))
    requests = [row for row in rows if row["Name"] != "Aggregated"]
    return requests, next(row for row in rows if row["Name"] == "Aggregated")


def percentile(row: dict | None, column: str) -> float:
    value = (row or {}).get(column) or "0"
    return float(value) if value != "N/A" else 0.0


def quantile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def run_level(scale: float, minutes: float, base: str, data: Path, folder: Path, groups: dict, database: str):
    kinds = plan(scale)
    users = sum(entry["users"] for entry in kinds.values())
    prefix = folder / f"locust-x{scale:g}"
    visits_file = folder / f"visits-x{scale:g}.json"
    env = dict(os.environ, STORM_DATA=str(data), STORM_PLAN=json.dumps(kinds), STORM_VISITS=str(visits_file))
    load_before = os.getloadavg()
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "benchmarks/locustfile.py"),
        "--headless",
        "--host",
        base,
        "-u",
        str(users),
        "-r",
        str(max(1, math.ceil(users / 10))),
        "--run-time",
        f"{int(minutes * 60)}s",
        "--stop-timeout",
        "15",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    log = folder / f"locust-x{scale:g}.log"
    with open(log, "wb") as out:
        locust = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True)
    sampled = {**groups, "locust (the load)": locust.pid, "this runner": os.getpid()}
    with CoreSampler(sampled, database) as cores:
        locust.wait()
    requests, everything = read_stats(prefix)
    visits = json.loads(visits_file.read_text())
    return report(scale, kinds, users, requests, everything, visits, cores, load_before, log)


def report(scale, kinds, users, requests, everything, visits, cores, load_before, log) -> dict:
    seconds = visits["seconds"] or 1.0
    bare = next((row for row in requests if row["Name"] == "bare view"), None)
    bare_median, bare_p95 = percentile(bare, "50%"), percentile(bare, "95%")
    total = int(everything["Request Count"])
    failures = int(everything["Failure Count"])
    p95_all = percentile(everything, "95%")
    target = planned_requests_per_second(kinds)
    print(f"\n== {scale:g} x the storm hour: {users} users, {seconds:.0f} s of requests ==")
    print(f"  load average before: {' '.join(f'{v:.2f}' for v in load_before)}")
    print(
        f"  requests: {total:,} = {total / seconds:.1f}/s (planned about {target:.1f}/s); "
        f"failures: {failures}; all requests median {percentile(everything, '50%'):.0f} ms, "
        f"p95 {p95_all:.0f} ms"
    )
    print(f"  {'visit':<14} {'planned/s':>10} {'held/s':>8} {'held':>6} {'median s':>9} {'p95 s':>7}")
    short = False
    for kind, entry in kinds.items():
        if kind == "bare":
            continue
        times = visits["visits"].get(kind, [])
        held = len(times) / seconds
        short = short or held < 0.9 * entry["rate"]
        print(
            f"  {kind:<14} {entry['rate']:>10.3f} {held:>8.3f} {held / entry['rate']:>6.0%} "
            f"{quantile(times, 0.5):>9.2f} {quantile(times, 0.95):>7.2f}"
        )
    print(
        f"\n  {'endpoint':<36} {'count':>6} {'fail':>5} {'median ms':>9} {'p95 ms':>7} "
        f"{'median/bare':>11} {'p95/bare':>8}"
    )
    worst_p95 = 0.0
    for row in sorted(requests, key=lambda r: r["Name"]):
        median, p95 = percentile(row, "50%"), percentile(row, "95%")
        worst_p95 = max(worst_p95, p95)
        print(
            f"  {row['Name'][:36]:<36} {int(row['Request Count']):>6} {int(row['Failure Count']):>5} "
            f"{median:>9.0f} {p95:>7.0f} {median / bare_median if bare_median else 0:>11.1f} "
            f"{p95 / bare_p95 if bare_p95 else 0:>8.1f}"
        )
    print(f"\n  what the {os.cpu_count()} cores did ({cores.wall:.0f} s):")
    print("\n".join(cores.table()))
    serving_ms = {
        group: used * 1000 / total
        for group, used in cores.used.items()
        if total and not group.startswith(("other", "postgres (other", "locust", "this runner"))
    }
    per_request = sum(serving_ms.values())
    print(
        "  CPU per request served: "
        + ", ".join(f"{group.split(' (')[0]} {ms:.1f} ms" for group, ms in serving_ms.items())
        + f"; {per_request:.1f} ms in all, so {os.cpu_count()} cores of our own would serve about "
        f"{(os.cpu_count() or 1) * 1000 / per_request if per_request else 0:.0f} requests a second"
    )
    if failures:
        print(f"  failures: see {log} and the _failures.csv beside it")
    held = not failures and p95_all <= P95_LIMIT_MS and not short
    return {
        "scale": scale,
        "rps": total / seconds,
        "failures": failures,
        "p95": p95_all,
        "worst_p95": worst_p95,
        "held": held,
        "cpu_ms": per_request,
    }


@contextmanager
def serving(folder: Path, database: str):
    """Private Redis, one Celery worker and gunicorn; yields the base URL and the process groups."""
    redis_port, web_port = free_port(), free_port()
    os.environ.update(
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/1",
        CELERY_BROKER_URL=f"redis://127.0.0.1:{redis_port}/0",
        TRUSTED_PROXY_HOPS="1",
    )
    base = f"http://127.0.0.1:{web_port}"
    with ExitStack() as stack:
        redis = stack.enter_context(
            process(
                [
                    "redis-server",
                    "--port",
                    str(redis_port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                "redis",
                folder / "redis.log",
            )
        )
        time.sleep(0.5)
        celery = stack.enter_context(
            process(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--concurrency",
                    "1",
                    "--loglevel",
                    "WARNING",
                ],
                "celery",
                folder / "celery.log",
            )
        )
        web = stack.enter_context(
            process(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    "--workers",
                    str(WORKERS),
                    "--bind",
                    f"127.0.0.1:{web_port}",
                    "--log-level",
                    "warning",
                ],
                "gunicorn",
                folder / "gunicorn.log",
                ready_url=base + "/bench/bare/",
            )
        )
        groups = {
            "gunicorn (the app)": web.pid,
            "redis (cache, broker)": redis.pid,
            "celery worker": celery.pid,
        }
        yield base, groups


def warm_up(base: str, data: Path) -> None:
    """Each worker renders each public page once, as it would in its first minutes of a real day."""
    walks = json.loads(data.read_text())
    urls = {"/", "/bench/bare/"}
    for walk in walks["report_walks"] + walks["advice_walks"]:
        urls.update([walk["start"], walk["outcome"], *(question for question, _ in walk["steps"])])
    for _ in range(WORKERS * 2):
        for url in urls:
            with urlopen(base + url, timeout=30) as response:
                response.read()


def main() -> None:
    global WORKERS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--keep", metavar="DATABASE", default="", help="load once into this database, reuse it"
    )
    parser.add_argument("--homes", type=int, default=HOMES)
    parser.add_argument("--jobs", type=int, default=JOBS)
    parser.add_argument("--minutes", type=float, default=5, help="length of each measured level")
    parser.add_argument("--scales", default="1", help="multiples of the storm hour to measure, in order")
    parser.add_argument("--saturate", default="", help="further multiples, stopping at the first not held")
    parser.add_argument("--saturate-minutes", type=float, default=2)
    parser.add_argument("--load-only", action="store_true", help="load (or check) the database and stop")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (4 unless set)")
    args = parser.parse_args()
    WORKERS = args.workers
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server: the test makes its own database there.")
    bench_url, admin_url, name, reused = kept_or_throwaway(url, args.keep, "repairs_bench_storm")
    os.environ["DATABASE_URL"] = bench_url
    production_environment()
    import django

    django.setup()
    try:
        from django.core.management import call_command
        from django.db import connection

        from repairs.models import Job

        call_command("migrate", verbosity=0)
        if reused and Job.objects.count() >= args.jobs:
            print(f"Reusing {Job.objects.count():,} jobs in {name}")
        else:
            load(args.homes, args.jobs)
        with connection.cursor() as cursor:  # a database loaded before the loader moved the sequence on
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('repairs_job', 'id'), max(id)) FROM repairs_job"
            )
        if args.load_only:
            return
        rate = storm_reports_per_second()
        print(
            f"Storm hour: {rate * 3600:.0f} reports an hour ({rate:.3f}/s), about "
            f"{planned_requests_per_second(plan(1)):.1f} requests a second"
        )
        with tempfile.TemporaryDirectory(prefix="storm-") as tmp:
            folder = Path(os.environ.get("STORM_OUTPUT", tmp))
            folder.mkdir(parents=True, exist_ok=True)
            data = test_data(folder)
            from django.db import connections

            connections.close_all()
            with serving(folder, name) as (base, groups):
                warm_up(base, data)
                results = []
                for scale in [float(s) for s in args.scales.split(",") if s]:
                    results.append(run_level(scale, args.minutes, base, data, folder, groups, name))
                for scale in [float(s) for s in args.saturate.split(",") if s]:
                    result = run_level(scale, args.saturate_minutes, base, data, folder, groups, name)
                    results.append(result)
                    if not result["held"]:
                        break
            print("\n  level    req/s  failures  p95 ms  worst endpoint p95 ms  CPU ms/request  held")
            for result in results:
                held = "yes" if result["held"] else "no"
                print(
                    f"  x{result['scale']:<6g} {result['rps']:>6.1f} {result['failures']:>9} "
                    f"{result['p95']:>7.0f} {result['worst_p95']:>22.0f} {result['cpu_ms']:>15.1f}  {held}"
                )
    finally:
        import psycopg
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
