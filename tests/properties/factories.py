"""Factories for the property register. Postcodes use the AA area, which is well formed but not real."""

from __future__ import annotations

import datetime

import factory

from properties.models import (
    Alert,
    AlertKind,
    AsbestosRecord,
    AsbestosRisk,
    Block,
    CommunalArea,
    CommunalAreaKind,
    Contact,
    Estate,
    Property,
    Tenancy,
)


class EstateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Estate

    code = factory.Sequence(lambda n: f"EST{n:03d}")
    name = factory.Sequence(lambda n: f"Test Estate {n}")


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    code = factory.Sequence(lambda n: f"BLK{n:03d}")
    name = factory.Sequence(lambda n: f"Test House {n}")
    estate = factory.SubFactory(EstateFactory)
    address_line_1 = factory.LazyAttribute(lambda block: block.name)
    postcode = "AA1 9ZZ"


class PropertyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Property

    property_ref = factory.Sequence(lambda n: f"{n:08d}")
    uprn = factory.Sequence(lambda n: 990_000_000_000 + n)
    address_line_1 = factory.Sequence(lambda n: f"{n + 1} Test Street")
    town = "Demoton"
    postcode = "AA1 1AB"


class CommunalAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunalArea

    name = "Lift"
    kind = CommunalAreaKind.LIFT
    block = factory.SubFactory(BlockFactory)
    estate = None


class TenancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenancy

    property = factory.SubFactory(PropertyFactory)
    tenancy_ref = factory.Sequence(lambda n: f"T{n:07d}")
    start_date = datetime.date(2020, 4, 1)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    tenancy = factory.SubFactory(TenancyFactory)
    name = "Alex Example"
    is_lead = True


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    property = factory.SubFactory(PropertyFactory)
    kind = AlertKind.CAUTIONARY


class AsbestosRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AsbestosRecord

    property = factory.SubFactory(PropertyFactory)
    location = "Kitchen ceiling"
    risk = AsbestosRisk.LOW
