"""Factories for scheduling: connections, routing rules, and a built-in team with working hours."""

from __future__ import annotations

import datetime

import factory

from repairs.models import WorkTeam
from scheduling.models import (
    LocationKind,
    Operative,
    RoutingRule,
    SchedulerConnection,
    SchedulerKind,
    TeamCalendar,
    WorkingHours,
)
from tests.repairs.factories import TradeFactory, WorkTeamFactory


class ConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchedulerConnection
        django_get_or_create = ("name",)

    name = factory.LazyAttribute(lambda c: f"{c.kind} scheduler")
    kind = SchedulerKind.BUILTIN
    inbound_username = "scheduler"
    inbound_secret = "s3cret-shared-value"


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingRule

    trade = factory.SubFactory(TradeFactory)
    location = LocationKind.ANY
    connection = factory.SubFactory(ConnectionFactory)


class OperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operative
        skip_postgeneration_save = True

    team = factory.SubFactory(WorkTeamFactory)
    name = factory.Sequence(lambda n: f"Operative {n}")

    @factory.post_generation
    def trades(self, create, extracted, **kwargs):
        for trade in extracted or ():
            self.trades.add(trade)

    @factory.post_generation
    def weekdays(self, create, extracted, **kwargs):
        """Working hours 8am to 4pm on the given weekdays (default Monday to Friday)."""
        for weekday in range(5) if extracted is None else extracted:
            WorkingHours.objects.create(
                operative=self, weekday=weekday, starts=datetime.time(8), ends=datetime.time(16)
            )


def builtin_team(*, trade_code: str = "PL", operatives: int = 1, shapes=("am", "pm"), lead_days: int = 1):
    """A team with a calendar, `operatives` operatives of the trade working 8 to 4 on weekdays."""
    trade = TradeFactory(code=trade_code)
    team = WorkTeamFactory(kind=WorkTeam.Kind.IN_HOUSE)
    team.trades.add(trade)
    TeamCalendar.objects.create(team=team, slot_shapes=list(shapes), lead_days=lead_days)
    for _ in range(operatives):
        OperativeFactory(team=team, trades=[trade])
    return team
