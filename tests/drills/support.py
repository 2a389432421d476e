"""What the drills break, started by the drills alone: a PostgreSQL cluster, Redis servers, Celery workers.

Nothing here touches the shared services on the standard ports: every process listens on a spare
port and lives in a temporary directory removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.db import connection

from config.celery import app
from tests.celery_support import _forget_broker_connections

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def require(*programs: str) -> None:
    """Skip (or, under REQUIRE_DRILLS, fail) when a program a drill runs is not installed."""
    missing = [p for p in programs if not (Path(p).is_file() or shutil.which(p))]
    if missing:
        reason = f"fault drill needs {', '.join(missing)}"
        if os.environ.get("REQUIRE_DRILLS"):
            pytest.fail(reason)
        pytest.skip(reason)


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check: Callable[[], object], seconds: float, what: str, every: float = 0.1) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(every)
    raise AssertionError(f"timed out after {seconds}s waiting for {what}")


# --- PostgreSQL -------------------------------------------------------------------------------------


class PrivatePostgres:
    """A throwaway cluster (trust auth, no fsync) that a drill may stop and start as it likes."""

    def __init__(self) -> None:
        require(str(PG_BIN / "initdb"), str(PG_BIN / "pg_ctl"), "pg_dump", "psql")
        if os.geteuid() == 0:
            require("runuser")
        self.dir = Path(tempfile.mkdtemp(prefix="drill-pg-"))
        self.data = self.dir / "data"
        self.port = spare_port()
        if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to the postgres user
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(
            PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"
        )

    def _run(self, *command: object) -> None:
        words = [str(word) for word in command]
        if os.geteuid() == 0:
            words = ["runuser", "-u", "postgres", "--", *words]
        subprocess.run(words, check=True, capture_output=True, timeout=120, cwd=self.dir)

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} "
            "-c fsync=off -c full_page_writes=off -c max_connections=50"
        )
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.dir / "log", "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def copy_database(self, source_url: str, name: str) -> None:
        """Create `name` here as a copy (schema and rows) of the database at `source_url`."""
        subprocess.run(["psql", self.url(), "-qc", f"CREATE DATABASE {name}"], check=True, timeout=60)
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", source_url],
            check=True,
            capture_output=True,
            timeout=120,
        ).stdout
        subprocess.run(
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", self.url(name)],
            input=dump,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    cluster = PrivatePostgres()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


def database_url_for_workers() -> str:
    """The URL of the test database pytest-django made, for processes the drill starts."""
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


# --- Redis ------------------------------------------------------------------------------------------


class PrivateRedis:
    """A redis-server with nothing saved to disk: killed, it comes back empty, as after a crash."""

    def __init__(self) -> None:
        require("redis-server")
        self.port = spare_port()
        self.dir = tempfile.mkdtemp(prefix="drill-redis-")
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", self.dir]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.answers, 10, "redis-server to answer")

    def answers(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url(), socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def remove(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    try:
        server.start()
        yield server
    finally:
        server.remove()


@contextmanager
def tasks_sent_to(broker_url: str) -> Iterator[None]:
    """Send this process's tasks to `broker_url` as production does, instead of running them eagerly."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "broker_transport_options")}
    app.conf.update(broker_url=broker_url, task_always_eager=False)
    _forget_broker_connections()  # eager tasks earlier in the session opened pools on the default broker
    try:
        yield
    finally:
        app.conf.update(saved)
        _forget_broker_connections()


# --- Celery workers ---------------------------------------------------------------------------------


def start_worker(name: str, *, broker_url: str, **env: str) -> subprocess.Popen:
    """A real worker process (prefork, one child) on the test database and `broker_url`."""
    environment = dict(
        os.environ,
        DEBUG="true",
        SECRET_KEY="test-only-secret-key",
        DATABASE_URL=database_url_for_workers(),
        CONN_MAX_AGE="0",
        CELERY_BROKER_URL=broker_url,
        REDIS_URL="",
        LOG_LEVEL="WARNING",
        **env,
    )
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=1"]
    command += [f"--hostname={name}@%h", "--without-mingle", "--without-gossip", "--loglevel=WARNING"]
    return subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True)


def kill_worker(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and its children at once: no chance to hand back what it holds."""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            kill_worker(worker)
