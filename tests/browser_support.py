"""Real-browser helpers shared by every suite: Debian's Chromium, axe-core and the Nu HTML Checker.

Browser tests drive /usr/bin/chromium through Playwright's sync API (never `playwright install`).
Without Chromium they are skipped with a reason, except when REQUIRE_BROWSER=1 (CI), where a missing
browser is a failure. Fixtures built on these live in tests/conftest.py: `browser`, `page`,
`no_js_page`, `axe_check` and `html_check`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
AXE_JS = REPO_ROOT / "node_modules/axe-core/axe.min.js"
VNU_JAR = REPO_ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip on a developer machine; fail in CI, where every browser check must run."""
    if browser_required():
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1)")
    pytest.skip(reason)


def axe_violations(page, *, tags: list[str] = WCAG_TAGS) -> list[dict]:
    """Run axe-core from node_modules in the page and return its violations for the WCAG tags."""
    from axe_playwright_python.sync_playwright import Axe

    if not AXE_JS.exists():
        skip_or_fail(f"{AXE_JS} is missing: run `npm ci`")
    results = Axe.from_file(str(AXE_JS)).run(page, options={"runOnly": {"type": "tag", "values": tags}})
    return results.response["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return "\n".join(lines)


def vnu_errors(documents: dict[str, str]) -> str:
    """Validate HTML documents with the Nu HTML Checker; returns its error output (empty when valid)."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        skip_or_fail("java or node_modules/vnu-jar is missing: install Java 11+ and run `npm ci`")
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name, html in documents.items():
            path = Path(folder) / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            paths.append(str(path))
        result = subprocess.run(
            [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "gnu", *paths],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    return (result.stdout + result.stderr).strip()
