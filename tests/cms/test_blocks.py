"""Self-help blocks render as GOV.UK components, and images carry the alt text editors write."""

from __future__ import annotations

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from cms.blocks import GuideStreamBlock

pytestmark = pytest.mark.django_db


def render(kind: str, value: dict) -> str:
    stream = GuideStreamBlock().to_python([{"type": kind, "value": value}])
    return "".join(str(child.render()) for child in stream)


def test_image_block_uses_the_editors_alt_text() -> None:
    image = Image.objects.create(title="Radiator key", file=get_test_image_file())
    value = {"image": image.pk, "alt_text": "A radiator key on the bleed valve", "caption": ""}
    html = render("image", value)
    assert 'alt="A radiator key on the bleed valve"' in html


def test_steps_render_as_a_numbered_list() -> None:
    html = render("steps", {"heading": "Reset it", "steps": ["<p>Find the fuse box.</p>", "<p>Push up.</p>"]})
    assert '<ol class="govuk-list govuk-list--number app-step-list app-prose">' in html
    assert html.count("<li>") == 2


def test_warning_text_block_uses_the_govuk_warning_component() -> None:
    html = render("warning_text", {"text": "Turn the heating off first."})
    assert 'class="govuk-warning-text__icon" aria-hidden="true">!</span>' in html
    assert "Turn the heating off first." in html
