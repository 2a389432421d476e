"""One adapter per scheduler vendor, chosen by a `SchedulerConnection`'s kind (set by routing rules).

Vendor modules are imported only when a connection of their kind is used, so a council that runs only
the built-in calendar never loads zeep or caldav.
"""

from __future__ import annotations

from importlib import import_module

from ..port import SchedulerAdapter

ADAPTERS = {
    "builtin": ("scheduling.adapters.builtin", "BuiltinCalendar"),
    "contractor": ("scheduling.adapters.contractor", "ContractorHandoff"),
    "drs": ("scheduling.adapters.drs", "KironaDrs"),
    "totalmobile": ("scheduling.adapters.totalmobile", "TotalMobile"),
    "caldav": ("scheduling.adapters.caldav_calendar", "CalDavCalendar"),
}


def adapter_class(kind: str) -> type[SchedulerAdapter]:
    try:
        module, name = ADAPTERS[kind]
    except KeyError:
        raise ValueError(f"There is no scheduler adapter called '{kind}'.") from None
    return getattr(import_module(module), name)


def adapter_for(connection, **options) -> SchedulerAdapter:
    """The adapter for a stored connection; `options` pass through (e.g. a contractor's name)."""
    return adapter_class(connection.kind)(connection, **options)
