"""The lifecycle's actions as the back office offers them: labels, notes asked for, and who may act."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from workflows.models import JobLifecycle
from workflows.selectors import NOT_OFFERED


@dataclass(frozen=True)
class ActionInfo:
    name: str
    label: str
    needs_note: bool
    asks_public_reason: bool
    permission: str


def all_actions() -> list[ActionInfo]:
    """Every action a button may name, once each, in the order the lifecycle declares them."""
    seen: dict[str, ActionInfo] = {}
    for t in JobLifecycle._meta.get_field("state").get_all_transitions(JobLifecycle):
        if t.name in NOT_OFFERED or t.name in seen:
            continue
        seen[t.name] = ActionInfo(
            t.name,
            t.custom.get("label", t.name),
            bool(t.custom.get("needs_note")),
            bool(t.custom.get("asks_public_reason")),
            t.permission if isinstance(t.permission, str) else "",
        )
    return list(seen.values())


def actions_for(user: AbstractBaseUser) -> list[ActionInfo]:
    """The actions this user holds the permission for (whether a job allows one is checked per job)."""
    return [a for a in all_actions() if not a.permission or user.has_perm(a.permission)]
