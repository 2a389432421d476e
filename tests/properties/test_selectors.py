"""Postcode look-up: eligible homes in natural order, communal areas nearby, constant queries."""

from __future__ import annotations

import dataclasses

import pytest

from properties.models import Tenure
from properties.postcodes import InvalidPostcode
from properties.selectors import addresses_at_postcode

from .factories import BlockFactory, CommunalAreaFactory, EstateFactory, PropertyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", [" sw1a1aa ", "SW1A 1AA", "sw1A  1aA"])
def test_finds_homes_whatever_the_case_and_spacing(typed):
    home = PropertyFactory(postcode="SW1A 1AA")

    found = addresses_at_postcode(typed)

    assert found.postcode == "SW1A 1AA"
    assert found.homes == (home,)


def test_homes_come_in_natural_order():
    for number in ("10", "2", "4", "1A"):
        PropertyFactory(address_line_1=f"{number} Mill Lane", postcode="AA1 1AB")

    found = addresses_at_postcode("AA1 1AB")

    assert [home.address_line_1 for home in found.homes] == [
        "1A Mill Lane",
        "2 Mill Lane",
        "4 Mill Lane",
        "10 Mill Lane",
    ]


def test_flats_sort_by_flat_number_within_a_block():
    for flat in ("Flat 10", "Flat 9", "Flat 1"):
        PropertyFactory(address_line_1=flat, address_line_2="Kestrel House", postcode="AA1 1AB")

    found = addresses_at_postcode("AA1 1AB")

    assert [home.address_line_1 for home in found.homes] == ["Flat 1", "Flat 9", "Flat 10"]


def test_leaves_out_inactive_homes_and_those_the_council_does_not_repair():
    PropertyFactory(postcode="AA1 1AB", is_active=False)
    PropertyFactory(postcode="AA1 1AB", council_repairs=False, tenure=Tenure.LEASEHOLD)
    eligible = PropertyFactory(postcode="AA1 1AB")

    assert addresses_at_postcode("AA1 1AB").homes == (eligible,)


def test_leaves_out_homes_at_other_postcodes():
    PropertyFactory(postcode="AA1 1AD")

    assert addresses_at_postcode("AA1 1AB").homes == ()


def test_includes_communal_areas_of_the_block_and_its_estate():
    estate = EstateFactory(name="Larkspur")
    block = BlockFactory(estate=estate, name="Kestrel House", postcode="AA9 9ZZ")
    PropertyFactory(block=block, postcode="AA1 1AB")
    lift = CommunalAreaFactory(block=block, name="Lift")
    car_park = CommunalAreaFactory(block=None, estate=estate, name="Car park")
    CommunalAreaFactory(name="Lift elsewhere")

    found = addresses_at_postcode("AA1 1AB")

    assert set(found.communal_areas) == {lift, car_park}


def test_includes_communal_areas_of_a_block_at_the_postcode_with_no_homes_there():
    block = BlockFactory(postcode="AA1 1AB")
    bin_store = CommunalAreaFactory(block=block, name="Bin store")

    found = addresses_at_postcode("aa11ab")

    assert found.homes == ()
    assert found.communal_areas == (bin_store,)


def test_includes_communal_areas_of_a_leaseholders_block():
    block = BlockFactory(postcode="AA9 9ZZ")
    PropertyFactory(block=block, postcode="AA1 1AB", council_repairs=False, tenure=Tenure.LEASEHOLD)
    stairwell = CommunalAreaFactory(block=block, name="Stairwell")

    assert addresses_at_postcode("AA1 1AB").communal_areas == (stairwell,)


def test_leaves_out_inactive_communal_areas():
    block = BlockFactory(postcode="AA1 1AB")
    CommunalAreaFactory(block=block, is_active=False)

    assert addresses_at_postcode("AA1 1AB").communal_areas == ()


@pytest.mark.parametrize("typed", ["", "   ", "hello", "SW1A", "12345", "SW1A 1AAA"])
def test_badly_formed_postcode_raises_a_clear_error(typed):
    with pytest.raises(InvalidPostcode, match="postcode"):
        addresses_at_postcode(typed)


@pytest.mark.parametrize("homes", [1, 30])
def test_runs_two_queries_whatever_the_number_of_homes(homes, django_assert_num_queries):
    estate = EstateFactory()
    block = BlockFactory(estate=estate)
    PropertyFactory.create_batch(homes, block=block, postcode="AA1 1AB")
    CommunalAreaFactory.create_batch(3, block=block)
    CommunalAreaFactory(block=None, estate=estate)

    with django_assert_num_queries(2):
        found = addresses_at_postcode("AA1 1AB")
        [home.block.estate for home in found.homes]
        [str(area) for area in found.communal_areas]

    assert len(found.homes) == homes


def test_result_is_frozen():
    found = addresses_at_postcode("AA1 1AB")

    with pytest.raises(dataclasses.FrozenInstanceError):
        found.postcode = "AA1 1AD"
