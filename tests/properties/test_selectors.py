"""Postcode look-up: eligible homes in natural order, the others with a reason, communal areas nearby."""

from __future__ import annotations

import dataclasses

import pytest

from properties.models import Tenure
from properties.postcodes import InvalidPostcode
from properties.selectors import (
    LEASEHOLD_REASON,
    OTHER_LANDLORD_REASON,
    SHARED_OWNERSHIP_REASON,
    addresses_at_postcode,
)

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


def test_homes_the_council_does_not_repair_come_back_with_the_reason_in_address_order():
    PropertyFactory(address_line_1="1 Mill Lane", postcode="AA1 1AB")
    leasehold = PropertyFactory(
        address_line_1="2 Mill Lane", postcode="AA1 1AB", council_repairs=False, tenure=Tenure.LEASEHOLD
    )
    shared = PropertyFactory(
        address_line_1="3 Mill Lane",
        postcode="AA1 1AB",
        council_repairs=False,
        tenure=Tenure.SHARED_OWNERSHIP,
    )
    housing_association = PropertyFactory(
        address_line_1="10 Mill Lane", postcode="AA1 1AB", council_repairs=False, tenure=Tenure.OTHER
    )
    PropertyFactory(address_line_1="4 Mill Lane", postcode="AA1 1AB", council_repairs=False, is_active=False)

    found = addresses_at_postcode("AA1 1AB")

    assert [(item.home, item.reason) for item in found.not_repaired] == [
        (leasehold, LEASEHOLD_REASON),
        (shared, SHARED_OWNERSHIP_REASON),
        (housing_association, OTHER_LANDLORD_REASON),
    ]
    assert leasehold not in found.homes


def test_a_leasehold_reason_says_the_council_repairs_the_building():
    PropertyFactory(postcode="AA1 1AB", council_repairs=False, tenure=Tenure.LEASEHOLD)

    (item,) = addresses_at_postcode("AA1 1AB").not_repaired

    assert "repairs the building" in item.reason
    assert "not the inside of the home" in item.reason


def test_a_leasehold_home_the_council_does_repair_is_offered():
    home = PropertyFactory(postcode="AA1 1AB", council_repairs=True, tenure=Tenure.LEASEHOLD)

    found = addresses_at_postcode("AA1 1AB")

    assert (found.homes, found.not_repaired) == ((home,), ())


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


def test_includes_estate_communal_areas_of_a_block_at_the_postcode_with_no_homes_there():
    estate = EstateFactory()
    BlockFactory(estate=estate, postcode="AA1 1AB")
    grounds = CommunalAreaFactory(block=None, estate=estate, name="Grounds")

    assert addresses_at_postcode("AA1 1AB").communal_areas == (grounds,)


def test_communal_areas_come_once_in_block_or_estate_name_order():
    estate = EstateFactory(name="Meridian Fields")
    block = BlockFactory(estate=estate, name="Kestrel House", postcode="AA1 1AB")
    PropertyFactory(block=block, postcode="AA1 1AB")
    lift = CommunalAreaFactory(block=block, name="Lift")
    bins = CommunalAreaFactory(block=block, name="Bin store")
    car_park = CommunalAreaFactory(block=None, estate=estate, name="Car park")

    found = addresses_at_postcode("AA1 1AB")

    assert found.communal_areas == (bins, lift, car_park)


def test_leaves_out_inactive_communal_areas():
    block = BlockFactory(postcode="AA1 1AB")
    CommunalAreaFactory(block=block, is_active=False)

    assert addresses_at_postcode("AA1 1AB").communal_areas == ()


@pytest.mark.parametrize("typed", ["", "   ", "hello", "SW1A", "12345", "SW1A 1AAA"])
def test_badly_formed_postcode_raises_a_clear_error(typed):
    with pytest.raises(InvalidPostcode, match="postcode"):
        addresses_at_postcode(typed)


@pytest.mark.parametrize("homes", [1, 30])
def test_runs_three_queries_whatever_the_number_of_homes(homes, django_assert_num_queries):
    estate = EstateFactory()
    block = BlockFactory(estate=estate)
    PropertyFactory.create_batch(homes, block=block, postcode="AA1 1AB")
    PropertyFactory.create_batch(homes, block=block, postcode="AA1 1AB", council_repairs=False)
    CommunalAreaFactory.create_batch(3, block=block)
    CommunalAreaFactory(block=None, estate=estate)

    with django_assert_num_queries(3):
        found = addresses_at_postcode("AA1 1AB")
        [home.block.estate for home in found.homes]
        [item.home.block.estate for item in found.not_repaired]
        [str(area) for area in found.communal_areas]

    assert (len(found.homes), len(found.not_repaired), len(found.communal_areas)) == (homes, homes, 4)


def test_result_is_frozen():
    found = addresses_at_postcode("AA1 1AB")

    with pytest.raises(dataclasses.FrozenInstanceError):
        found.postcode = "AA1 1AD"
