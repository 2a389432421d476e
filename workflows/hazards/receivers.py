"""Every report of a potential hazard opens the job's hazard case, whatever the channel.

`repairs.services.report_repair` sends `report_filed` inside its transaction (online, phone, staff and
API reports alike). The kind comes from the report's diagnosis when the outcome named one (the
journey adds `{"hazard_kind": code}` to the diagnosis it stores), else from the priority given
(`HazardKind.priorities`: a phone agent choosing "Damp and mould investigation" opens a damp and mould
case). The journey's household question adds `{"household_at_risk": true}` when someone in the home is
very young or has a health condition, which flags the case for emergency review.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.dispatch import receiver
from django.utils import timezone

from repairs.models import Priority, Report
from repairs.signals import report_filed

from .models import HazardKind
from .services import open_hazard_case


@dataclass(frozen=True)
class HazardAnswers:
    kind_code: str = ""
    at_risk: bool = False


def hazard_answers(diagnosis: Iterable) -> HazardAnswers:
    """What a report's stored diagnosis says about a hazard (nothing, for a report made by phone)."""
    code, at_risk = "", False
    for step in diagnosis or ():
        if not isinstance(step, dict):
            continue
        code = step.get("hazard_kind") or code
        at_risk = at_risk or step.get("household_at_risk") is True
    return HazardAnswers(code, at_risk)


def kind_for(answers: HazardAnswers, priority: Priority) -> HazardKind | None:
    kinds = HazardKind.objects.filter(is_active=True)
    if answers.kind_code:
        named = kinds.filter(code=answers.kind_code).first()
        if named is not None:
            return named
    return kinds.filter(priorities=priority).order_by("track", "pk").first()


@receiver(report_filed, sender=Report, dispatch_uid="workflows.hazards.open_case")
def open_case_for_report(
    sender, *, report: Report, joined: bool, already_reported: bool, priority: Priority, **kwargs
) -> None:
    answers = hazard_answers(report.diagnosis)
    kind = kind_for(answers, priority)
    if kind is None:
        return
    open_hazard_case(
        job=report.job,
        kind=kind,
        # A repeat report by the same person comes back as their earlier report: awareness is now.
        aware_at=timezone.now() if already_reported else report.created_at,
        report=report,
        by=report.created_by,
        vulnerable=answers.at_risk,
    )
