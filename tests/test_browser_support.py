"""The shared accessibility and HTML checks really catch problems: a check that cannot fail proves nothing."""

from __future__ import annotations

import pytest

from tests.browser_support import axe_violations, vnu_errors

BROKEN_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Broken</title></head>
<body><main><h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>"""


@pytest.mark.browser
def test_axe_reports_an_image_without_alt_text(page) -> None:
    page.set_content(BROKEN_PAGE)
    assert [v["id"] for v in axe_violations(page)] == ["image-alt"]


def test_vnu_reports_invalid_html() -> None:
    errors = vnu_errors(
        {"broken": "<!DOCTYPE html><html lang='en'><head></head><body><p><div></p></body></html>"}
    )
    assert "Element “head” is missing a required instance of child element “title”" in errors


def test_vnu_accepts_valid_html() -> None:
    assert vnu_errors({"ok": BROKEN_PAGE.replace("<img", '<img alt=""')}) == ""
