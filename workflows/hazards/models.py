"""Hazard kinds (data administrators extend), hazard cases on jobs, and each case's stage clocks.

A `HazardCase` belongs to one job. Its Day 0 (`aware_at`) is the time of the first report by any
channel, never the time of triage. Each duty is a `HazardStage` row holding the moment its clock
started, the moment it is due and, once staff record it, when it was met, by whom and with what
evidence. A due moment is stored when the stage starts, so a closure day added later cannot quietly
move it; a breach is stored when it happens (`breached_at`) and stays recorded.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from repairs.models import Job, Priority, Report


class ClockUnit(models.TextChoices):
    HOURS = "hours", "Hours (round the clock)"
    WORKING_DAYS = "working_days", "Working days"
    DAYS = "days", "Calendar days"


class Track(models.TextChoices):
    EMERGENCY = "emergency", "Emergency hazard"
    SIGNIFICANT = "significant", "Significant hazard"


class SafetyWorksFrom(models.TextChoices):
    AWARE = "aware", "From when we became aware (Day 0)"
    INVESTIGATION = "investigation", "From the day the investigation finished"


class Stage(models.TextChoices):
    INVESTIGATION = "investigation", "Investigation"
    SUMMARY = "summary", "Written summary to the resident"
    SAFETY_WORKS = "safety_works", "Safety works"
    PREVENTATIVE_WORKS = "preventative_works", "Preventative works begun"


def _clock_fields(label: str) -> tuple[models.Field, models.Field]:
    return (
        models.PositiveIntegerField(f"{label}: how long"),
        models.CharField(f"{label}: counted in", max_length=20, choices=ClockUnit.choices),
    )


class HazardKind(models.Model):
    """A kind of hazard and the clocks its cases run to (the regulations' figures, editable here)."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    track = models.CharField(max_length=20, choices=Track.choices, default=Track.SIGNIFICANT)
    emergency_kind = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The kind a case is moved to when staff treat it as an emergency.",
    )
    priorities = models.ManyToManyField(
        Priority,
        blank=True,
        related_name="hazard_kinds",
        help_text="A report given one of these priorities (online, by phone, by staff or by API) opens a "
        "case of this kind.",
    )
    investigation_value, investigation_unit = _clock_fields("Investigation")
    summary_value, summary_unit = _clock_fields("Written summary")
    safety_works_value, safety_works_unit = _clock_fields("Safety works")
    safety_works_from = models.CharField(
        max_length=20, choices=SafetyWorksFrom.choices, default=SafetyWorksFrom.INVESTIGATION
    )
    preventative_value, preventative_unit = _clock_fields("Preventative works begin")
    preventative_longest_value, preventative_longest_unit = _clock_fields(
        "Preventative works begin, at the latest (reason recorded)"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_emergency(self) -> bool:
        return self.track == Track.EMERGENCY

    def clock(self, stage: str) -> tuple[int, str]:
        """How long `stage` runs for, as (value, unit)."""
        return getattr(self, f"{stage}_value"), getattr(self, f"{stage}_unit")

    def clean(self) -> None:
        if self.emergency_kind_id and self.emergency_kind_id == self.pk:
            raise ValidationError({"emergency_kind": "Choose another kind, or leave it empty."})
        if self.emergency_kind is not None and not self.emergency_kind.is_emergency:
            raise ValidationError({"emergency_kind": "Choose a kind on the emergency track."})


class HazardCaseQuerySet(models.QuerySet):
    def open(self) -> HazardCaseQuerySet:
        return self.filter(closed_at__isnull=True)


class HazardCase(models.Model):
    """A potential hazard reported on a job, with Day 0 and the staff decisions about it."""

    wagtail_reference_index_ignore = True  # operational rows: see docs/performance.md, reference index

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="hazard_case")
    kind = models.ForeignKey(HazardKind, on_delete=models.PROTECT, related_name="cases")
    aware_at = models.DateTimeField(help_text="Day 0: when the first report reached us, by any channel.")
    first_report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    emergency_review_since = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Set when the household may be at higher risk (young children, health conditions) and "
        "staff must decide whether it is an emergency.",
    )
    emergency_review_reason = models.CharField(max_length=255, blank=True)
    hazard_found = models.BooleanField(null=True, help_text="What the investigation found; empty until then.")
    findings = models.TextField(blank=True)
    alternative_accommodation_offered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = HazardCaseQuerySet.as_manager()

    class Meta:
        ordering = ["aware_at", "id"]
        permissions = [("manage_hazard_case", "Can record hazard case actions (Awaab's Law)")]

    def __str__(self) -> str:
        return f"{self.kind} on job {self.job_id}"

    @property
    def needs_emergency_review(self) -> bool:
        return self.emergency_review_since is not None


class HazardStage(models.Model):
    """One duty's clock: started, due, and met (or breached) with the evidence staff recorded."""

    wagtail_reference_index_ignore = True  # operational rows: see docs/performance.md, reference index

    case = models.ForeignKey(HazardCase, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    starts_at = models.DateTimeField(help_text="When this clock started (Day 0, or the investigation).")
    due_at = models.DateTimeField(db_index=True)
    met_at = models.DateTimeField(null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    not_needed = models.BooleanField(
        default=False, help_text="Closed without work: the investigation found no hazard."
    )
    evidence = models.TextField(blank=True)
    photo = models.FileField(upload_to="hazards/%Y/%m/", blank=True)
    extended_reason = models.TextField(
        blank=True, help_text="Why the preventative works could not begin within the usual time."
    )
    alerted_half_at = models.DateTimeField(null=True, blank=True)
    alerted_most_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "stage"], name="one_clock_per_hazard_stage")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} due {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_met(self) -> bool:
        return self.met_at is not None

    def is_breached(self, now: datetime.datetime | None = None) -> bool:
        """Met late, or still open past its due moment (or already recorded as breached)."""
        if self.breached_at is not None:
            return True
        if self.met_at is not None:
            return self.met_at > self.due_at
        return (now or timezone.now()) > self.due_at

    def share_elapsed(self, now: datetime.datetime) -> float:
        """How much of the clock has run, 0.0 at the start and 1.0 at the due moment."""
        span = (self.due_at - self.starts_at).total_seconds()
        if span <= 0:
            return 1.0
        return max(0.0, (now - self.starts_at).total_seconds() / span)
