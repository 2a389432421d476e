"""The public layout: page titles, and phone numbers a phone can dial."""

from __future__ import annotations

import pytest
from django.test import Client
from wagtail.models import Site

from cms.models import ContactSettings
from tests.cms.factories import SmallTree

pytestmark = pytest.mark.django_db
DASH = "\u2013"  # the en dash GOV.UK titles use between their parts


def test_home_page_title_names_the_service_once(client: Client, tree: SmallTree) -> None:
    html = client.get(tree.home.url).content.decode()
    assert f"<title>Housing repairs {DASH} Anytown Council</title>" in html


def test_other_pages_put_their_own_title_first(client: Client, tree: SmallTree) -> None:
    html = client.get(tree.guide.url).content.decode()
    assert f"<title>How to bleed a radiator {DASH} Housing repairs {DASH} Anytown Council</title>" in html


def test_footer_phone_numbers_are_tel_links(client: Client, tree: SmallTree) -> None:
    html = client.get(tree.guide.url).content.decode()
    assert '<a class="govuk-footer__link" href="tel:02079460000">020 7946 0000</a>' in html
    assert '<a class="govuk-footer__link" href="tel:02079460999">020 7946 0999</a>' in html


def test_home_page_emergency_number_is_a_tel_link(client: Client, tree: SmallTree) -> None:
    from cms.models import EmergencyAdvicePage
    from tests.cms.factories import add_page

    add_page(tree.home, EmergencyAdvicePage(title="Emergency repairs"))
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    html = client.get(tree.home.url).content.decode()
    assert f'href="tel:{contact.emergency_phone.replace(" ", "")}">{contact.emergency_phone}</a>' in html
