"""A real Radicale CalDAV server on 127.0.0.1, on a free port, with storage in a temporary folder.

It asks for a password (htpasswd, plain text: a throwaway test server), so a wrong password gets the
401 a council's real server would answer.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


USERS = {"repairs": "calendar-secret"}


@contextmanager
def radicale_server(storage: Path, users: dict[str, str] = USERS) -> Iterator[str]:
    """Start Radicale with these users (each may write their own calendars) and yield its base URL."""
    port = free_port()
    htpasswd = storage / "users.htpasswd"
    htpasswd.write_text("".join(f"{user}:{password}\n" for user, password in users.items()))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(storage / "collections"),
            "--auth-type",
            "htpasswd",
            "--auth-htpasswd-filename",
            str(htpasswd),
            "--auth-htpasswd-encryption",
            "plain",
            "--auth-delay",
            "0",
            "--rights-type",
            "owner_only",
            "--logging-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                requests.get(url, timeout=0.5)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"Radicale did not start: {process.stderr.read().decode()[-500:]}"
                    ) from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
