"""Demo scheduling for the embedded run: built-in calendar teams with operatives and working hours,
and routing rules so the demo council offers slots online. Safe to run twice (get-or-create by name)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction

from repairs.models import Trade, WorkTeam
from scheduling.models import (
    LocationKind,
    Operative,
    RoutingRule,
    SchedulerConnection,
    SchedulerKind,
    SlotShape,
    TeamCalendar,
    WorkingHours,
)

ALL_SHAPES = [SlotShape.MORNING, SlotShape.AFTERNOON, SlotShape.SCHOOL_RUN, SlotShape.ALL_DAY]

# team, trade codes, slot shapes, operatives (name, trades, weekdays)
IN_HOUSE = [
    (
        "In-house repairs team",
        ["PL", "EL", "CA", "GB", "GL", "HE"],
        ALL_SHAPES,
        [
            ("Pat Okafor", ["PL", "HE"], range(5)),
            ("Sam Reid", ["PL", "GB"], range(5)),
            ("Ellis Grant", ["EL"], range(5)),
            ("Chris Nowak", ["CA", "GL", "GB"], range(4)),
        ],
    ),
    (
        "Damp and mould team",
        ["DM"],
        [SlotShape.MORNING, SlotShape.AFTERNOON],
        [("Dana Price", ["DM"], range(5))],
    ),
]

# contractor team, trade codes, working days within which they contact the resident
CONTRACTORS = [
    ("Northside Lifts (demo contractor)", ["LF"], 1),
    ("Secure Entry Systems (demo contractor)", ["DE"], 2),
    ("Topline Roofing (demo contractor)", ["RF"], 3),
]


class Command(BaseCommand):
    help = "Create demo built-in calendar teams, operatives and routing rules (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        builtin, _ = SchedulerConnection.objects.get_or_create(
            name="Built-in calendar", defaults={"kind": SchedulerKind.BUILTIN}
        )
        handoff, _ = SchedulerConnection.objects.get_or_create(
            name="Contractor arranges the visit", defaults={"kind": SchedulerKind.CONTRACTOR}
        )
        trades = {trade.code: trade for trade in Trade.objects.all()}
        operatives = 0
        for team_name, codes, shapes, people in IN_HOUSE:
            team, _ = WorkTeam.objects.get_or_create(
                name=team_name, defaults={"kind": WorkTeam.Kind.IN_HOUSE}
            )
            team.trades.add(*[trades[c] for c in codes if c in trades])
            TeamCalendar.objects.get_or_create(team=team, defaults={"slot_shapes": [str(s) for s in shapes]})
            for name, trade_codes, weekdays in people:
                operative, _ = Operative.objects.get_or_create(team=team, name=name)
                operative.trades.add(*[trades[c] for c in trade_codes if c in trades])
                for weekday in weekdays:
                    WorkingHours.objects.get_or_create(
                        operative=operative,
                        weekday=weekday,
                        defaults={"starts": datetime.time(8), "ends": datetime.time(16)},
                    )
                operatives += 1
            for code in codes:
                if code in trades:
                    self._rule(trades[code], builtin, team, online=True)
        for team_name, codes, days in CONTRACTORS:
            team, _ = WorkTeam.objects.get_or_create(
                name=team_name, defaults={"kind": WorkTeam.Kind.CONTRACTOR}
            )
            team.trades.add(*[trades[c] for c in codes if c in trades])
            for code in codes:
                if code in trades:
                    self._rule(trades[code], handoff, team, online=False, contact_within_days=days)
        self.stdout.write(
            f"Scheduling demo: {operatives} operatives, {RoutingRule.objects.count()} routing rules."
        )

    @staticmethod
    def _rule(trade, connection, team, *, online: bool, contact_within_days: int = 3) -> None:
        RoutingRule.objects.get_or_create(
            trade=trade,
            location=LocationKind.ANY,
            defaults={
                "connection": connection,
                "team": team,
                "residents_book_online": online,
                "contact_within_days": contact_within_days,
            },
        )
