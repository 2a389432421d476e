"""Our Django partials render what GOV.UK Frontend's own fixtures say each component should render.

Every fixture shipped in node_modules/govuk-frontend for the components below is checked, except the
few listed in UNSUPPORTED with the option they use that our partial does not offer.
"""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from tests.govuk_html import GOVUK_COMPONENTS, load_fixtures, normalise_html

COMPONENTS = (
    "back-link",
    "button",
    "details",
    "error-message",
    "error-summary",
    "fieldset",
    "generic-header",
    "hint",
    "input",
    "inset-text",
    "label",
    "notification-banner",
    "panel",
    "radios",
    "service-navigation",
    "skip-link",
    "summary-list",
    "tag",
    "textarea",
    "warning-text",
)

UNSUPPORTED = {
    ("service-navigation", "with language navigation"): "slots",
    ("service-navigation", "with right-aligned language navigation"): "slots",
    ("service-navigation", "inverse with language navigation"): "slots",
    ("service-navigation", "with slotted content"): "slots",
    ("service-navigation", "with `inline` end slot"): "slots",
}


def _cases() -> list:
    if not GOVUK_COMPONENTS.exists():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason="run `npm ci` for govuk-frontend"))]
    return [
        pytest.param(component, name, id=f"{component}:{name}")
        for component in COMPONENTS
        for name in load_fixtures(component)
        if (component, name) not in UNSUPPORTED
    ]


def render_partial(component: str, options: dict) -> str:
    return render_to_string(f"govuk/components/{component.replace('-', '_')}.html", {"params": options})


@pytest.mark.parametrize(("component", "fixture_name"), _cases())
def test_partial_matches_govuk_frontend_fixture(component: str, fixture_name: str) -> None:
    fixture = load_fixtures(component)[fixture_name]
    assert normalise_html(render_partial(component, fixture["options"])) == normalise_html(fixture["html"])


def test_comparison_notices_a_changed_attribute() -> None:
    fixture = load_fixtures("button")["default"]
    changed = fixture["html"].replace('type="submit"', 'type="button"')
    assert normalise_html(render_partial("button", fixture["options"])) != normalise_html(changed)


def test_comparison_ignores_whitespace_and_attribute_order() -> None:
    spaced = '<a  class="b a" href="/x">\n Hi\n</a>'
    assert normalise_html(spaced) == normalise_html('<a href="/x" class="a b">Hi</a>')
