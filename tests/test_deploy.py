"""Production settings pass Django's deployment checks with no warnings, and a deploy that forgot
`collectstatic` is stopped by a check instead of serving a 500 on every page.

Settings are read once at import, so each case runs `check --deploy` in a fresh interpreter with the
production environment set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent

CHECK_DEPLOY = (
    "import django, sys; django.setup(); "
    "from django.core.management import call_command; "
    "call_command('check', deploy=True, fail_level='WARNING')"
)


# Not carried from the test run: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright,
# which `check --deploy` rightly refuses in production.
UNSET = {"DEBUG", "HTTPS", "SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def production_env(static_root: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY="prod-" + "k3Y9x!pQ2" * 8,
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="repairs.example.gov.uk",
        STATIC_ROOT=str(static_root),
        **extra,
    )
    return env


def run_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CHECK_DEPLOY], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def collected_static(tmp_path: Path) -> Path:
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": {}, "version": "1.1", "hash": "0"}))
    return tmp_path


def test_check_deploy_passes_with_no_warnings_in_production(collected_static):
    result = run_check(production_env(collected_static))

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_turning_off_https_brings_back_the_warnings_the_settings_answer(collected_static):
    result = run_check(production_env(collected_static, HTTPS="false"))

    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_missing_collectstatic_fails_the_check_with_the_command_to_run(tmp_path):
    result = run_check(production_env(tmp_path / "empty"))

    assert result.returncode != 0
    assert "config.E001" in result.stderr
    assert "collectstatic --noinput" in result.stderr


def test_collectstatic_runs_on_a_fresh_install_and_then_the_check_passes(tmp_path):
    """The check that asks for `collectstatic` must not stop `collectstatic` itself, and every file the
    stylesheets name must exist, or the manifest storage fails the whole command (the container build
    runs exactly this)."""
    env = production_env(tmp_path / "static")
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert collected.returncode == 0, collected.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert run_check(env).returncode == 0


def test_wsgi_refuses_to_start_without_collected_static(tmp_path):
    env = production_env(tmp_path / "empty")
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "Static files have not been collected" in result.stderr


def test_embedded_default_stays_on_plain_http(client, db, settings):
    """Under DEBUG (the pytest and demo run) no redirect to https and cookies work over http."""
    response = client.get("/health/")

    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers
    assert not settings.SESSION_COOKIE_SECURE


def test_public_pages_carry_the_security_headers(client, db):
    response = client.get("/health/")

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
