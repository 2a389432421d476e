"""Model behaviour: postcode storage, natural sort key, constraints, alerts, UPRN as text."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from properties.addresses import natural_sort_key
from properties.models import Alert, AlertKind, CommunalArea, CommunalAreaKind, Property
from properties.postcodes import InvalidPostcode, normalise_postcode, postcode_key

from .factories import AlertFactory, BlockFactory, EstateFactory, PropertyFactory


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(" sw1a1aa ", "SW1A 1AA"), ("SW1A 1AA", "SW1A 1AA"), ("m11ae", "M1 1AE"), ("aa1 1ab", "AA1 1AB")],
)
def test_normalise_postcode_accepts_any_case_and_spacing(typed, stored):
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("typed", ["", None, "SW1A", "not a postcode", "QQ1 1AA"])
def test_normalise_postcode_rejects_what_is_not_a_postcode(typed):
    with pytest.raises(InvalidPostcode):
        normalise_postcode(typed)


def test_postcode_key_has_no_spaces():
    assert postcode_key("sw1a 1aa") == "SW1A1AA"


@pytest.mark.django_db
def test_saving_a_home_stores_the_normalised_postcode_and_its_key():
    home = PropertyFactory(postcode=" sw1a1aa ")

    home.refresh_from_db()
    assert (home.postcode, home.postcode_key) == ("SW1A 1AA", "SW1A1AA")


@pytest.mark.django_db
def test_clean_reports_a_bad_postcode_on_the_postcode_field():
    home = PropertyFactory.build(postcode="nowhere")

    with pytest.raises(ValidationError) as caught:
        home.full_clean()

    assert "postcode" in caught.value.message_dict


def test_natural_sort_key_orders_numbers_by_value():
    keys = sorted(["10 High Street", "2 High Street", "4 High Street"], key=natural_sort_key)

    assert keys == ["2 High Street", "4 High Street", "10 High Street"]


def test_natural_sort_key_ignores_case_and_blank_parts():
    assert natural_sort_key(" Flat 3 ", "", "Kestrel HOUSE") == "flat 0000000003 kestrel house"


@pytest.mark.django_db
def test_saving_a_home_stores_its_sort_key():
    home = PropertyFactory(address_line_1="Flat 3", address_line_2="Kestrel House")

    assert (
        Property.objects.values_list("sort_key", flat=True).get(pk=home.pk) == "flat 0000000003 kestrel house"
    )


@pytest.mark.django_db
def test_a_communal_area_must_belong_to_a_block_or_an_estate_not_both():
    block = BlockFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        CommunalArea.objects.create(name="Lift", kind=CommunalAreaKind.LIFT, block=block, estate=block.estate)


@pytest.mark.django_db
def test_a_communal_area_must_belong_to_something():
    with pytest.raises(IntegrityError), transaction.atomic():
        CommunalArea.objects.create(name="Lift", kind=CommunalAreaKind.LIFT)


@pytest.mark.django_db
def test_communal_area_clean_says_choose_a_block_or_an_estate():
    area = CommunalArea(name="Lift", kind=CommunalAreaKind.LIFT, estate=EstateFactory(), block=BlockFactory())

    with pytest.raises(ValidationError, match="either a block or an estate"):
        area.clean()


@pytest.mark.django_db
@pytest.mark.parametrize("uprn", [0, 1_000_000_000_000])
def test_uprn_must_be_one_to_twelve_digits(uprn):
    with pytest.raises(IntegrityError), transaction.atomic():
        PropertyFactory(uprn=uprn)


@pytest.mark.django_db
def test_uprn_is_unique():
    PropertyFactory(uprn=100023336956)

    with pytest.raises(IntegrityError), transaction.atomic():
        PropertyFactory(uprn=100023336956)


def test_uprn_text_keeps_all_digits_and_is_blank_without_one():
    assert Property(uprn=100023336956).uprn_text == "100023336956"
    assert Property(uprn=None).uprn_text == ""


@pytest.mark.django_db
def test_current_alerts_exclude_ended_and_future_ones():
    today = datetime.date.today()
    current = AlertFactory(start_date=today - datetime.timedelta(days=3))
    open_ended = AlertFactory(start_date=None, end_date=None)
    AlertFactory(end_date=today - datetime.timedelta(days=1))
    AlertFactory(start_date=today + datetime.timedelta(days=1))

    assert set(Alert.objects.current()) == {current, open_ended}


@pytest.mark.parametrize(
    ("kind", "blocks"),
    [
        (AlertKind.CAUTIONARY, True),
        (AlertKind.VISIT_IN_PAIRS, True),
        (AlertKind.VULNERABILITY, False),
        (AlertKind.ACCESS, False),
    ],
)
def test_cautionary_alerts_block_online_booking(kind, blocks):
    assert Alert(kind=kind).blocks_online_booking is blocks
