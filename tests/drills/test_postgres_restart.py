"""Drill: PostgreSQL stops and starts again in the middle of a burst of API bookings.

gunicorn serves the API from a private cluster holding a copy of the test database. Client threads
book repairs, each under its own Idempotency-Key; a failed call (no answer, or a 5xx) is sent again
with the same key until it succeeds. Mid-burst the cluster is stopped (immediate mode: as a crash,
open transactions are cut off) and started a second later. Afterwards there is exactly one report
per key, the answers name each report once, and the server answered again as soon as the database
was back, through connections reopened after their health check failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import psycopg
import pytest
import requests

from tests.api.conftest import key_secret, register  # noqa: F401  (fixtures)
from tests.drills.support import ROOT, database_url_for_workers, private_postgres, spare_port, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BOOKINGS = 30
CLIENTS = 4
GIVE_UP_AFTER = 60.0
THREADS = 4  # gunicorn's, each with its own database connection
RECOVERY_SECONDS = 30.0  # from the database's return to the last booking, on a busy CI machine


def serve(database_url: str, port: int) -> subprocess.Popen:
    env = dict(
        os.environ,
        DEBUG="true",
        SECRET_KEY="test-only-secret-key",
        DATABASE_URL=database_url,
        CONN_MAX_AGE="60",  # the production default: connections kept, checked before reuse
        CELERY_BROKER_URL="",
        REDIS_URL="",
        LOG_LEVEL="ERROR",
    )
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "1", "--threads", str(THREADS)]
    command += ["--bind", f"127.0.0.1:{port}", "--timeout", "30", "--graceful-timeout", "5"]
    command += ["--log-level", "warning"]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def booking(address_id: str, n: int) -> dict:
    return {
        "address_id": address_id,
        "repair": {"trade": "PL", "priority": "RO", "size": "S", "description": f"Drill leak number {n}"},
        "contact": {"name": f"Resident {n}", "email": f"drill{n}@example.invalid", "updates": "email"},
        "slot": None,
    }


class Burst:
    """The client: books each repair once, retrying any failure with the same key."""

    def __init__(self, base: str, secret: str, addresses: list[str]) -> None:
        self.base, self.secret, self.addresses = base, secret, addresses
        self.answers: dict[str, dict] = {}
        self.failures: list[str] = []
        self.replays = 0
        self.lock = threading.Lock()
        self.done = 0

    def book(self, n: int) -> None:
        key = f"drill-burst-{n}"
        headers = {"Authorization": f"Bearer {self.secret}", "Idempotency-Key": key}
        body = booking(self.addresses[n % len(self.addresses)], n)
        deadline = time.monotonic() + GIVE_UP_AFTER
        with requests.Session() as session:
            while True:
                try:
                    answer = session.post(
                        f"{self.base}/api/v1/repairs", json=body, headers=headers, timeout=15
                    )
                    failed = f"{answer.status_code}" if answer.status_code >= 500 else ""
                except requests.RequestException as error:
                    failed = type(error).__name__
                if not failed:
                    break
                with self.lock:
                    self.failures.append(failed)
                if time.monotonic() > deadline:
                    raise AssertionError(f"booking {n} still failing after {GIVE_UP_AFTER}s: {failed}")
                time.sleep(0.2)
        assert answer.status_code == 201, answer.text
        with self.lock:
            self.answers[key] = answer.json()
            self.replays += answer.headers.get("Idempotent-Replayed") == "true"
            self.done += 1

    def run(self, numbers: range) -> None:
        for n in numbers:
            self.book(n)


def test_a_burst_of_bookings_survives_a_database_restart_with_no_report_lost_or_doubled(
    register,  # noqa: F811
    key_secret,  # noqa: F811
):
    secret = key_secret("book", rate_limit_per_minute=10_000)
    addresses = [home.property_ref for home in register["homes"]]
    started = time.monotonic()
    with private_postgres() as cluster:
        cluster.copy_database(database_url_for_workers(), "repairs")
        copied = time.monotonic()
        port = spare_port()
        server = serve(cluster.url("repairs"), port)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until(lambda: _answers(f"{base}/health/"), 60, "gunicorn to serve")
            serving = time.monotonic()
            burst = Burst(base, secret, addresses)
            threads = [
                threading.Thread(target=burst.run, args=(range(c, BOOKINGS, CLIENTS),))
                for c in range(CLIENTS)
            ]
            for thread in threads:
                thread.start()
            wait_until(lambda: burst.done >= BOOKINGS // 4, 60, "a quarter of the bookings")
            cluster.stop("immediate")
            stopped_with = burst.done
            time.sleep(1.0)
            cluster.start()
            back_at = time.monotonic()
            for thread in threads:
                thread.join(GIVE_UP_AFTER + 30)
            recovered_in = time.monotonic() - back_at
            finished = time.monotonic()
            # Every server thread works again at the first try: none is left with a dead connection.
            health = [_status(f"{base}/health/") for _ in range(4 * THREADS)]
        finally:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(10)

        with psycopg.connect(cluster.url("repairs")) as db:
            reports = db.execute("SELECT reference FROM repairs_report").fetchall()
            keys = db.execute(
                "SELECT key FROM api_idempotentbooking WHERE key LIKE 'drill-burst-%'"
            ).fetchall()

    print(
        f"\n{BOOKINGS} bookings, {CLIENTS} clients: database stopped after {stopped_with}, "
        f"{len(burst.failures)} failed calls retried ({sorted(set(burst.failures))}), "
        f"{burst.replays} replayed answers, burst finished {recovered_in:.1f}s after the restart; "
        f"cluster and copy {copied - started:.1f}s, gunicorn up {serving - copied:.1f}s, "
        f"burst {finished - serving:.1f}s"
    )
    assert stopped_with < BOOKINGS, "the restart came after the burst: it tested nothing"
    assert burst.failures, "no call failed while the database was down: the drill missed the outage"
    assert len(burst.answers) == BOOKINGS
    references = [answer["reference"] for answer in burst.answers.values()]
    assert len(set(references)) == BOOKINGS  # each key answered with its own report
    assert sorted(references) == sorted(row[0] for row in reports)  # and nothing else was saved
    assert len(keys) == BOOKINGS
    assert recovered_in < RECOVERY_SECONDS
    assert health == [200] * (4 * THREADS)


def _status(url: str) -> int:
    return requests.get(url, timeout=5).status_code


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code < 500
    except requests.RequestException:
        return False
