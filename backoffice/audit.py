"""Reads of the audit trail (backoffice/history.py): a job's saved versions as "who changed what".

The job page shows the latest versions, each compared with the one before it on the fields staff set.
Related names (trade, priority, team, SoR code) are looked up once for all versions shown, so the page
runs the same few queries however long the history is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from repairs.models import Job, Priority, SorCode, Trade, WorkTeam

SHOWN = 50
# field (attribute on the version) → (words, model whose name stands for the id, or None)
FIELDS = {
    "state": ("State", None),
    "priority_id": ("Priority", Priority),
    "trade_id": ("Trade", Trade),
    "size": ("Size", None),
    "assignee_id": ("Team", WorkTeam),
    "sor_code_id": ("SoR code", SorCode),
    "due_at": ("Due", None),
    "estimated_cost": ("Estimated cost", None),
    "actual_cost": ("Actual cost", None),
    "description": ("Description", None),
    "merged_into_id": ("Merged into job", None),
}
KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}
STATES = dict(Job._meta.get_field("state").choices)
SIZES = dict(Job._meta.get_field("size").choices)


@dataclass
class Change:
    when: datetime.datetime
    who: str
    kind: str
    changes: list[tuple[str, str, str]]


def job_changes(job: Job, limit: int = SHOWN) -> list[Change]:
    """The job's latest saved versions, newest first, each with what differs from the version before."""
    versions = list(
        Job.history.filter(id=job.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    names = _names(versions)
    changes = []
    for index, version in enumerate(versions[:limit]):
        before = versions[index + 1] if index + 1 < len(versions) else None
        differences = []
        for attribute, (words, _) in FIELDS.items():
            new = getattr(version, attribute)
            old = getattr(before, attribute) if before is not None else None
            if before is None and version.history_type == "+" and new in (None, ""):
                continue
            if before is not None and old == new:
                continue
            differences.append(
                (words, _shown(attribute, old, names) if before else "", _shown(attribute, new, names))
            )
        if before is not None and not differences:
            continue  # saved with nothing staff would see changed (a timestamp, an internal flag)
        who = (
            version.history_user.get_full_name() or version.history_user.get_username()
            if version.history_user
            else "System"
        )
        changes.append(Change(version.history_date, who, KINDS.get(version.history_type, ""), differences))
    return changes


def _names(versions: list) -> dict[tuple[str, int], str]:
    names: dict[tuple[str, int], str] = {}
    for attribute, (_, model) in FIELDS.items():
        if model is None:
            continue
        ids = {getattr(v, attribute) for v in versions} - {None}
        if ids:
            names.update(((attribute, pk), str(obj)) for pk, obj in model.objects.in_bulk(ids).items())
    return names


def _shown(attribute: str, value, names: dict) -> str:
    if value is None or value == "":
        return "Not set"
    if attribute == "state":
        return str(STATES.get(value, value))
    if attribute == "size":
        return str(SIZES.get(value, value))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%-d %b %Y %H:%M")
    if (attribute, value) in names:
        return names[(attribute, value)]
    if attribute.endswith("_id") and attribute != "merged_into_id":
        return f"No longer listed ({value})"
    return str(value)
