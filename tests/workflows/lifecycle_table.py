"""The lifecycle as the design states it, written out independently of the code under test."""

from __future__ import annotations

from repairs.models import JobState as S

# action -> (states it may start from, state it ends in)
ALLOWED = {
    "triage": ([S.REPORTED, S.NO_ACCESS], S.TRIAGED),
    "schedule": ([S.REPORTED, S.TRIAGED, S.NO_ACCESS], S.SCHEDULED),
    "unschedule": ([S.SCHEDULED], S.TRIAGED),
    "start_work": ([S.SCHEDULED], S.IN_PROGRESS),
    "hold": ([S.TRIAGED, S.SCHEDULED, S.IN_PROGRESS], S.ON_HOLD),
    "resume": ([S.ON_HOLD], S.TRIAGED),
    "record_no_access": ([S.SCHEDULED, S.IN_PROGRESS], S.NO_ACCESS),
    "complete": ([S.IN_PROGRESS], S.COMPLETED),
    "close": ([S.COMPLETED], S.CLOSED),
    "cancel": ([S.REPORTED, S.TRIAGED, S.SCHEDULED, S.ON_HOLD, S.NO_ACCESS], S.CANCELLED),
    "reject": ([S.REPORTED, S.TRIAGED], S.REJECTED),
    "reopen": ([S.CLOSED], S.COMPLETED),
}
# Emergencies may also start straight from reported or triaged.
EMERGENCY_ONLY = {"start_work": [S.REPORTED, S.TRIAGED]}

ALL_ACTIONS = set(ALLOWED)
ROLE_ACTIONS = {
    "Repairs managers": ALL_ACTIONS,
    "Administrators": ALL_ACTIONS,
    "Contact-centre agents": {"cancel", "schedule", "unschedule"},  # backoffice 0002: agents book visits
    "Contractors": {"start_work", "record_no_access", "complete"},
    "Content editors": set(),
}

ALLOWED_PAIRS = [(action, source) for action, (sources, _) in ALLOWED.items() for source in sources]
FORBIDDEN_PAIRS = [
    (action, state)
    for action, (sources, _) in ALLOWED.items()
    for state in S
    if state not in sources and state not in EMERGENCY_ONLY.get(action, [])
]
ROLE_PAIRS = [(role, action) for role in ROLE_ACTIONS for action in sorted(ALLOWED)]
