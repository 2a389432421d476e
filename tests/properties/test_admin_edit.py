"""Editing the register in the admin: postcodes are normalised, bad ones explained, contacts inline."""

from __future__ import annotations

import pytest
from django.urls import reverse

from properties.models import Property, Tenancy

from .factories import PropertyFactory

pytestmark = pytest.mark.django_db


def home_form(**overrides) -> dict[str, str]:
    data = {
        "address_line_1": "12 Orchard Lane",
        "address_line_2": "",
        "address_line_3": "",
        "town": "Demoton",
        "postcode": "sw1a1aa",
        "property_ref": "000123",
        "uprn": "100023336956",
        "block": "",
        "tenure": "secure",
        "council_repairs": "on",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_adding_a_home_stores_the_postcode_normalised(admin_client):
    response = admin_client.post(reverse("homes:add"), home_form())

    assert response.status_code == 302
    home = Property.objects.get()
    assert (home.postcode, home.postcode_key, home.property_ref) == ("SW1A 1AA", "SW1A1AA", "000123")


def test_a_bad_postcode_is_explained_and_nothing_saved(admin_client):
    response = admin_client.post(reverse("homes:add"), home_form(postcode="nowhere"))

    assert response.status_code == 200
    assert "Enter a real postcode" in response.content.decode()
    assert not Property.objects.exists()


def test_a_tenancy_is_saved_with_its_contacts(admin_client):
    home = PropertyFactory()
    data = {
        "property": str(home.pk),
        "tenancy_ref": "T0001",
        "start_date": "2024-04-01",
        "end_date": "",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-name": "Alex Example",
        "contacts-0-phone": "07700 900123",
        "contacts-0-email": "",
        "contacts-0-is_lead": "on",
        "contacts-0-id": "",
        "contacts-0-ORDER": "1",
        "contacts-0-DELETE": "",
    }

    response = admin_client.post(reverse("tenancies:add"), data)

    assert response.status_code == 302, response.content.decode()[-3000:]
    tenancy = Tenancy.objects.get()
    assert [contact.name for contact in tenancy.contacts.all()] == ["Alex Example"]
