"""Default trades and priorities: declared once, created by the migrations, council edits kept."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from cms.starter_content import ensure_reference_data
from repairs.defaults import PRIORITIES, TRADES, ensure_defaults
from repairs.models import Priority, Trade

pytestmark = pytest.mark.django_db

in_line = importlib.import_module("repairs.migrations.0005_default_trades_and_priorities_in_line")


def test_migrations_create_every_declared_trade_and_priority():
    assert dict(Trade.objects.values_list("code", "name")) == TRADES
    assert [
        (p.code, p.name, p.target_value, p.target_unit, p.is_emergency, p.sort_order)
        for p in Priority.objects.order_by("sort_order")
    ] == [(d.code, d.name, d.target_value, d.target_unit, d.is_emergency, d.sort_order) for d in PRIORITIES]


def test_starter_content_uses_the_same_declaration():
    trades, priorities = ensure_reference_data()

    assert set(trades) == set(TRADES)
    assert set(priorities) == {default.code for default in PRIORITIES}
    assert Priority.objects.count() == len(PRIORITIES)


def test_a_council_edit_is_kept():
    Priority.objects.filter(code="UR").update(target_value=3)

    ensure_defaults(Trade, Priority)

    assert Priority.objects.get(code="UR").target_value == 3


def test_the_migration_creates_a_missing_default_and_reorders_the_starter_contents_copy():
    Priority.objects.filter(code="DME").delete()
    Priority.objects.filter(code="RO").update(sort_order=40)

    in_line.bring_in_line(apps, None)

    assert Priority.objects.get(code="DME").is_emergency
    assert Priority.objects.get(code="RO").sort_order == 50


def test_the_migration_leaves_a_priority_the_council_edited():
    Priority.objects.filter(code="RO").update(sort_order=40, target_value=15)

    in_line.bring_in_line(apps, None)

    assert Priority.objects.get(code="RO").sort_order == 40
