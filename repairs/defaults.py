"""The trades and priorities every install starts with, declared once.

The data migrations create them and the starter content finds them by code, so a fresh install, the
demo and the diagnosis outcomes all agree. Councils edit names and targets afterwards in the admin;
nothing here overwrites an edit. Plain values only (no model imports), so migrations can use it
with their historical models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_noop


@dataclass(frozen=True)
class DefaultPriority:
    code: str
    name: str
    target_value: int
    target_unit: str  # a repairs.models.TargetUnit value
    is_emergency: bool
    sort_order: int

    def fields(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "target_value": self.target_value,
            "target_unit": self.target_unit,
            "is_emergency": self.is_emergency,
            "sort_order": self.sort_order,
        }


TRADES: dict[str, str] = {
    "PL": "Plumbing",
    "EL": "Electrical",
    "CA": "Carpentry",
    "HE": "Heating",
    "RF": "Roofing",
    "GL": "Glazing",
    "GB": "General building",
    "LF": "Lifts",
    "DE": "Door entry",
    "DM": "Damp and mould",
}

# The names stay English in the database; the public pages translate these defaults (`{% translate %}`
# of the stored name), so a renamed priority shows as the council typed it.
TRANSLATED_NAMES = [
    gettext_noop("Emergency"),
    gettext_noop("Damp and mould emergency hazard"),
    gettext_noop("Urgent"),
    gettext_noop("Damp and mould investigation"),
    gettext_noop("Routine"),
]

# Including the damp and mould timescales of Awaab's Law.
PRIORITIES: tuple[DefaultPriority, ...] = (
    DefaultPriority("EM", "Emergency", 24, "hours", True, 10),
    DefaultPriority("DME", "Damp and mould emergency hazard", 24, "hours", True, 20),
    DefaultPriority("UR", "Urgent", 5, "working_days", False, 30),
    DefaultPriority("DMI", "Damp and mould investigation", 10, "working_days", False, 40),
    DefaultPriority("RO", "Routine", 20, "working_days", False, 50),
)


def ensure_defaults(trade_model, priority_model) -> tuple[dict[str, Any], dict[str, Any]]:
    """The default trades and priorities by code, creating any that are missing; existing rows stay as
    they are. Takes the models so a migration can pass its historical ones."""
    trades = {
        code: trade_model.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in TRADES.items()
    }
    priorities = {
        default.code: priority_model.objects.get_or_create(code=default.code, defaults=default.fields())[0]
        for default in PRIORITIES
    }
    return trades, priorities
