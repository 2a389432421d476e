"""Reads of hazard cases shared by the back office, the beat task and reports."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import Coalesce

from .models import HazardCase, HazardStage, Stage


def hazard_queue() -> QuerySet[HazardCase]:
    """Open cases, those waiting for an emergency review first, then by the nearest open due moment.

    One query for the page: `next_due_at` is annotated, and the job, its place and the kind come along.
    """
    return (
        HazardCase.objects.open()
        .annotate(next_due_at=Min("stages__due_at", filter=Q(stages__met_at__isnull=True)))
        .select_related(
            "kind",
            "job__property",
            "job__trade",
            "job__communal_area__block",
            "job__communal_area__estate",
        )
        .order_by(
            F("emergency_review_since").asc(nulls_last=True),
            F("next_due_at").asc(nulls_last=True),
            "pk",
        )
    )


def case_for_job(job_id: int) -> HazardCase | None:
    """The job's hazard case with its stages in due order (two queries), or None."""
    case = HazardCase.objects.select_related("kind", "job").filter(job_id=job_id).first()
    if case is not None:
        case.stage_list = list(case.stages.select_related("met_by").order_by("due_at", "pk"))
    return case


def stages_to_watch() -> QuerySet[HazardStage]:
    """Open stages of open cases whose clock may need an alert or a breach recorded."""
    return HazardStage.objects.filter(met_at__isnull=True, case__closed_at__isnull=True).filter(
        Q(alerted_half_at__isnull=True) | Q(alerted_most_at__isnull=True) | Q(breached_at__isnull=True)
    )


@dataclass(frozen=True)
class StageCompliance:
    stage: str
    label: str
    due: int  # stages whose due moment falls in the period
    met_in_time: int
    met_late: int
    open_overdue: int  # not met, and the due moment has passed (by `now`)
    open_in_time: int
    not_needed: int

    @property
    def rate(self) -> float | None:
        """Met in time as a share of those decided (met, or overdue); None when there are none."""
        decided = self.met_in_time + self.met_late + self.open_overdue
        return self.met_in_time / decided if decided else None


def hazard_stage_compliance(
    start: datetime.datetime, end: datetime.datetime, *, now: datetime.datetime | None = None
) -> list[StageCompliance]:
    """Per stage, how many clocks due in [start, end) were met in time, met late or are overdue.

    For the reports app: one query. A stage closed as not needed (no hazard found) is counted apart
    and never as met or missed.
    """
    from django.utils import timezone

    now = now or timezone.now()
    met = Q(met_at__isnull=False, not_needed=False)
    rows = (
        HazardStage.objects.filter(due_at__gte=start, due_at__lt=end)
        .values("stage")
        .annotate(
            due=Count("pk"),
            met_in_time=Count("pk", filter=met & Q(met_at__lte=F("due_at"))),
            met_late=Count("pk", filter=met & Q(met_at__gt=F("due_at"))),
            open_overdue=Count("pk", filter=Q(met_at__isnull=True, due_at__lt=now)),
            open_in_time=Count("pk", filter=Q(met_at__isnull=True, due_at__gte=now)),
            not_needed=Coalesce(Count("pk", filter=Q(not_needed=True)), 0),
        )
    )
    found = {row["stage"]: row for row in rows}
    result = []
    for stage in Stage:
        row = found.get(stage.value, {})
        result.append(
            StageCompliance(
                stage=stage.value,
                label=stage.label,
                due=row.get("due", 0),
                met_in_time=row.get("met_in_time", 0),
                met_late=row.get("met_late", 0),
                open_overdue=row.get("open_overdue", 0),
                open_in_time=row.get("open_in_time", 0),
                not_needed=row.get("not_needed", 0),
            )
        )
    return result
