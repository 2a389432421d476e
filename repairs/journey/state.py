"""What the resident has told us so far, kept in their session (never in URLs).

One dict under one session key. It starts from the diagnosis outcome the resident reached (which
already knows home or communal, trade, size and priority) and grows one answer per page. A missing or
expired session has no journey: the pages say so and start cleanly.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import SessionBase

SESSION_KEY = "report_journey"
CONFIRMED_KEY = "report_journey_confirmed"


class Journey:
    """A thin, typed view over the session dict; saving is marking the session modified."""

    def __init__(self, session: SessionBase, data: dict[str, Any]) -> None:
        self.session = session
        self.data = data

    def __getitem__(self, key: str) -> Any:
        return self.data.get(key)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def update(self, **values: Any) -> None:
        self.data.update(values)
        self.session[SESSION_KEY] = self.data
        self.session.modified = True

    def forget(self, *keys: str) -> None:
        for key in keys:
            self.data.pop(key, None)
        self.update()

    @property
    def is_communal(self) -> bool:
        return self.data.get("location") == "communal"


def current(session: SessionBase) -> Journey | None:
    data = session.get(SESSION_KEY)
    return Journey(session, data) if data else None


def begin(session: SessionBase, data: dict[str, Any]) -> Journey:
    session[SESSION_KEY] = data
    return Journey(session, data)


def finish(session: SessionBase, report_id: int) -> None:
    """The report is made: forget the answers, remember which report the confirmation page shows."""
    session.pop(SESSION_KEY, None)
    session[CONFIRMED_KEY] = report_id


def confirmed_report_id(session: SessionBase) -> int | None:
    return session.get(CONFIRMED_KEY)
