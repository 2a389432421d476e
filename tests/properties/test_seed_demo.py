"""The demo council: fictional, well-formed, deterministic, and safe to load twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from properties.models import (
    Alert,
    AlertKind,
    AsbestosRecord,
    Block,
    CommunalArea,
    Contact,
    Estate,
    Property,
    Tenancy,
)
from properties.selectors import addresses_at_postcode

pytestmark = pytest.mark.django_db

MODELS = (Estate, Block, Property, CommunalArea, Tenancy, Contact, Alert, AsbestosRecord)


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_builds_about_two_thousand_homes_in_blocks_and_streets():
    seed()

    assert 1900 <= Property.objects.count() <= 2100
    assert Property.objects.filter(block__isnull=False).count() > 500
    assert Property.objects.filter(block__isnull=True).count() > 500
    assert set(AlertKind.values) - {AlertKind.OTHER} <= set(Alert.objects.values_list("kind", flat=True))
    assert CommunalArea.objects.filter(estate__isnull=False).exists()
    assert AsbestosRecord.objects.filter(communal_area__isnull=False).exists()


def test_running_twice_creates_nothing_more():
    seed()
    first = counts()

    seed()

    assert counts() == first


def test_is_the_same_council_every_time():
    seed()
    first = list(Property.objects.order_by("property_ref").values_list("property_ref", "postcode", "tenure"))
    for model in reversed(MODELS):
        model.objects.all().delete()

    seed()

    assert (
        list(Property.objects.order_by("property_ref").values_list("property_ref", "postcode", "tenure"))
        == first
    )


def test_every_postcode_is_in_the_fictional_aa_area():
    seed()

    assert set(Property.objects.values_list("postcode", flat=True)) <= {
        postcode
        for postcode in Property.objects.values_list("postcode", flat=True)
        if postcode.startswith("AA")
    }
    assert not Property.objects.exclude(postcode__startswith="AA").exists()


def test_prints_postcodes_a_demo_user_can_try():
    out = seed()
    tried = [line.split()[0] + " " + line.split()[1] for line in out.splitlines() if line.startswith("  AA")]

    assert tried
    for postcode in tried:
        found = addresses_at_postcode(postcode)
        assert found.homes or found.communal_areas
