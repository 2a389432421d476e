"""A helper that reports a repair with sensible defaults, so each test names only what it is about."""

from __future__ import annotations

from repairs.models import Channel, JobSize, UpdatePreference
from repairs.services import report_repair
from tests.repairs.factories import PriorityFactory, TradeFactory


def report(**overrides):
    """Each contact name is a different person (their own email) unless the test says otherwise."""
    name = overrides.get("contact_name", "Sam Resident")
    values = {
        "trade": TradeFactory(code="LF"),
        "priority": PriorityFactory(),
        "size": JobSize.SMALL,
        "description": "The lift is stuck on the ground floor",
        "contact_name": "Sam Resident",
        "contact_email": f"{name.lower().replace(' ', '.')}@example.invalid",
        "update_preference": UpdatePreference.EMAIL,
        "channel": Channel.ONLINE,
    }
    values.update(overrides)
    return report_repair(**values)
