"""A database a benchmark may fill and drop: its own PostgreSQL database beside DATABASE_URL's, or a
temporary SQLite file when DATABASE_URL is not PostgreSQL. DATABASE_URL points at it while it lasts."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse, urlunparse


@contextmanager
def throwaway_database(name: str) -> Iterator[None]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        with tempfile.TemporaryDirectory() as folder:
            os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
            yield
        return
    import psycopg

    admin_url = urlunparse(urlparse(url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = urlunparse(urlparse(url)._replace(path=f"/{name}"))
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")


def kept_or_throwaway(url: str, keep: str, prefix: str) -> tuple[str, str, str, bool]:
    """A PostgreSQL database beside `url` for a large benchmark: with `keep`, that named database, made once
    and reused by later runs; without, a new `<prefix>_<pid>` the caller drops. Returns its URL, the admin
    URL, its name and whether a kept database was already there (so the load can be skipped)."""
    import psycopg

    parts = urlparse(url)
    name = keep or f"{prefix}_{os.getpid()}"
    admin_url = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not keep:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
        if not (keep and exists):
            admin.execute(f"CREATE DATABASE {name}")
    return urlunparse(parts._replace(path=f"/{name}")), admin_url, name, bool(keep and exists)
