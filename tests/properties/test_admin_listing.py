"""The register's admin listings: search by postcode however typed, UPRN, reference, address; export."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from .factories import BlockFactory, PropertyFactory

pytestmark = pytest.mark.django_db


def listed(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("typed", ["sw1a1aa", "SW1A 1AA", " sw1a 1aa "])
def test_staff_user_finds_a_home_by_postcode_typed_any_way(register_clerk, typed):
    PropertyFactory(address_line_1="12 Kestrel Road", postcode="SW1A 1AA")
    PropertyFactory(address_line_1="99 Other Road", postcode="AA1 1AB")

    page = listed(register_clerk.get(reverse("homes:index"), {"q": typed}))

    assert "12 Kestrel Road" in page
    assert "99 Other Road" not in page


def test_finds_a_home_by_uprn(register_clerk):
    PropertyFactory(address_line_1="12 Kestrel Road", uprn=100023336956)
    PropertyFactory(address_line_1="99 Other Road")

    page = listed(register_clerk.get(reverse("homes:index"), {"q": "100023336956"}))

    assert "12 Kestrel Road" in page
    assert "99 Other Road" not in page


def test_finds_a_home_by_address_across_lines(register_clerk):
    PropertyFactory(address_line_1="Flat 2", address_line_2="Kestrel House")
    PropertyFactory(address_line_1="Flat 12", address_line_2="Kestrel House")

    page = listed(register_clerk.get(reverse("homes:index"), {"q": "flat 2 kestrel"}))

    assert re.search(r">\s*Flat 2\s*<", page)
    assert "Flat 12" not in page


def test_filters_homes_by_block(register_clerk):
    block = BlockFactory(name="Kestrel House")
    PropertyFactory(address_line_1="Flat 1", block=block)
    PropertyFactory(address_line_1="3 Elsewhere Road")

    page = listed(register_clerk.get(reverse("homes:index"), {"block": block.pk}))

    assert "Flat 1" in page
    assert "3 Elsewhere Road" not in page


def test_export_writes_the_uprn_as_text_with_every_digit(register_clerk):
    PropertyFactory(property_ref="000123", uprn=100023336956)

    response = register_clerk.get(reverse("homes:index"), {"export": "csv"})

    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("Property reference,uprn,")
    assert "000123,100023336956," in body


def test_listing_needs_permission(client, db):
    from .conftest import staff_user

    client.force_login(staff_user("nobody"))

    response = client.get(reverse("homes:index"))

    assert response.status_code == 302


@pytest.mark.parametrize(
    "viewset", ["blocks", "estates", "communal_areas", "tenancies", "property_alerts", "asbestos_records"]
)
def test_every_register_listing_opens_for_a_superuser(admin_client, viewset):
    PropertyFactory()

    assert admin_client.get(reverse(f"{viewset}:index")).status_code == 200


def test_add_tenancy_form_offers_a_home_chooser_and_contacts(admin_client):
    page = listed(admin_client.get(reverse("tenancies:add")))

    assert "Choose a home" in page
    assert "contacts-TOTAL_FORMS" in page


def test_menu_shows_the_property_register_group(register_manager):
    page = listed(register_manager.get(reverse("wagtailadmin_home")))

    assert "Property register" in page
    assert "Import properties" in page
