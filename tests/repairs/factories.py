"""Factories for jobs and reports. Trades and priorities are found by code, as the migration ships them."""

from __future__ import annotations

import factory

from repairs.models import Channel, Job, Priority, Report, SorCode, TargetUnit, Trade, WorkTeam
from tests.properties.factories import CommunalAreaFactory, PropertyFactory


class TradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trade
        django_get_or_create = ("code",)

    code = "PL"
    name = factory.LazyAttribute(lambda trade: f"Trade {trade.code}")


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority
        django_get_or_create = ("code",)

    code = "RO"
    name = "Routine"
    target_value = 20
    target_unit = TargetUnit.WORKING_DAYS


class EmergencyPriorityFactory(PriorityFactory):
    code = "EM"
    name = "Emergency"
    target_value = 24
    target_unit = TargetUnit.HOURS
    is_emergency = True


class SorCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SorCode
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TST{n:04d}")
    description = "Test code"
    trade = factory.SubFactory(TradeFactory)


class WorkTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkTeam
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test team {n}")


class JobFactory(factory.django.DjangoModelFactory):
    """A job in a home; pass `property=None, communal_area=...` for a communal one."""

    class Meta:
        model = Job

    property = factory.SubFactory(PropertyFactory)
    trade = factory.SubFactory(TradeFactory)
    priority = factory.SubFactory(PriorityFactory)
    description = "Kitchen tap drips"
    channel = Channel.ONLINE


class CommunalJobFactory(JobFactory):
    property = None
    communal_area = factory.SubFactory(CommunalAreaFactory)
    trade = factory.SubFactory(TradeFactory, code="LF")
    description = "Lift stuck on the ground floor"


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    job = factory.SubFactory(JobFactory)
    description = factory.LazyAttribute(lambda report: report.job.description)
    contact_name = "Sam Resident"
    contact_email = "sam@example.invalid"
