"""The case: a Job is one piece of work, a Report is one resident's account of it.

Reference data (trades, priorities, Schedule of Rates codes, work teams) lives here too, because jobs
cannot be described without it. The lifecycle rules that move `Job.state` live in `workflows`.
"""

from __future__ import annotations

import builtins
import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import ConcurrentTransitionMixin, FSMField

from properties.models import CommunalArea, Property


class Trade(models.Model):
    code = models.CharField(
        max_length=20, unique=True, help_text="Short code shared with schedulers, like PL."
    )
    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TargetUnit(models.TextChoices):
    HOURS = "hours", "Hours"
    WORKING_DAYS = "working_days", "Working days"


class Priority(models.Model):
    """A priority and its target, counted in hours or in working days (bank holidays excluded)."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    target_value = models.PositiveIntegerField()
    target_unit = models.CharField(max_length=20, choices=TargetUnit.choices, default=TargetUnit.WORKING_DAYS)
    is_emergency = models.BooleanField(
        default=False, help_text="Emergencies skip online booking: residents are told to call."
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.name

    def is_more_urgent_than(self, other: Priority) -> bool:
        """Emergencies first, then the shorter target (a working day counts as at least 24 hours)."""
        return (not self.is_emergency, self.target_hours_at_least) < (
            not other.is_emergency,
            other.target_hours_at_least,
        )

    @builtins.property
    def target_hours_at_least(self) -> int:
        return self.target_value if self.target_unit == TargetUnit.HOURS else self.target_value * 24


class JobSize(models.TextChoices):
    SMALL = "S", "Small"
    MEDIUM = "M", "Medium"
    LARGE = "L", "Large"


class SorCode(models.Model):
    """A Schedule of Rates code: the council's own list, or composite codes standing for a kind of job."""

    code = models.CharField(max_length=30, unique=True)
    description = models.CharField(max_length=255)
    trade = models.ForeignKey(Trade, on_delete=models.PROTECT, related_name="sor_codes")
    size = models.CharField(max_length=1, choices=JobSize.choices, default=JobSize.SMALL)
    standard_minutes = models.PositiveIntegerField(default=60)
    unit_cost = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "SoR code"

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class WorkTeam(models.Model):
    """Who does the work: an in-house team or a contractor."""

    class Kind(models.TextChoices):
        IN_HOUSE = "in_house", "In-house team"
        CONTRACTOR = "contractor", "Contractor"

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.IN_HOUSE)
    trades = models.ManyToManyField(Trade, related_name="teams", blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobState(models.TextChoices):
    REPORTED = "reported", "Reported"
    TRIAGED = "triaged", "Triaged"
    SCHEDULED = "scheduled", "Scheduled"
    IN_PROGRESS = "in_progress", "In progress"
    ON_HOLD = "on_hold", "On hold"
    NO_ACCESS = "no_access", "No access"
    COMPLETED = "completed", "Completed"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"
    REJECTED = "rejected", "Rejected"
    MERGED = "merged", "Merged"


OPEN_STATES = frozenset(
    {
        JobState.REPORTED,
        JobState.TRIAGED,
        JobState.SCHEDULED,
        JobState.IN_PROGRESS,
        JobState.ON_HOLD,
        JobState.NO_ACCESS,
    }
)


class JobKind(models.TextChoices):
    """Why a job exists: a fresh repair, more work after a finished one, or a repair that did not last."""

    REPAIR = "repair", "Repair"
    FOLLOW_ON = "follow_on", "Follow-on"
    RECALL = "recall", "Recall"


class Channel(models.TextChoices):
    ONLINE = "online", "Online"
    PHONE = "phone", "Phone"
    STAFF = "staff", "Staff"
    API = "api", "API"


class JobQuerySet(models.QuerySet):
    def open(self) -> JobQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, now: datetime.datetime) -> JobQuerySet:
        """Open jobs past their due date at `now`: a question asked of the data, never a stored flag."""
        return self.open().filter(due_at__lt=now)

    def recalls(self) -> JobQuerySet:
        """Repairs that failed within the recall period: the misses in a first-time-fix count."""
        return self.filter(kind=JobKind.RECALL)

    def needing_attention(self) -> JobQuerySet:
        return self.open().filter(needs_attention_since__isnull=False)


class Job(ConcurrentTransitionMixin, models.Model):
    """One piece of work on a home or a communal area. Its state changes only through transitions."""

    wagtail_reference_index_ignore = True  # operational rows: see docs/performance.md, reference index

    property = models.ForeignKey(
        Property, on_delete=models.PROTECT, related_name="jobs", null=True, blank=True
    )
    communal_area = models.ForeignKey(
        CommunalArea, on_delete=models.PROTECT, related_name="jobs", null=True, blank=True
    )
    trade = models.ForeignKey(Trade, on_delete=models.PROTECT, related_name="jobs")
    size = models.CharField(max_length=1, choices=JobSize.choices, default=JobSize.SMALL)
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="jobs")
    sor_code = models.ForeignKey(
        SorCode, on_delete=models.PROTECT, related_name="jobs", null=True, blank=True
    )
    description = models.TextField()
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    assignee = models.ForeignKey(
        WorkTeam, on_delete=models.PROTECT, related_name="jobs", null=True, blank=True
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    estimated_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    actual_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    state = FSMField(default=JobState.REPORTED, choices=JobState.choices, protected=True, db_index=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="merged_jobs", null=True, blank=True
    )
    kind = models.CharField(max_length=10, choices=JobKind.choices, default=JobKind.REPAIR, db_index=True)
    follows = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="follow_ups",
        null=True,
        blank=True,
        help_text="The finished job this follow-on or recall comes after.",
    )
    needs_attention_since = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Set when staff should look at the job (for example new reports on a long hold).",
    )
    attention_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When the work was done (set by the lifecycle; a reopened job keeps it).",
    )
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the council accepted the work (cleared if reopened)."
    )

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(property__isnull=False) & Q(communal_area__isnull=True))
                | (Q(property__isnull=True) & Q(communal_area__isnull=False)),
                name="job_in_a_home_or_a_communal_area",
            )
        ]
        indexes = [
            models.Index(fields=["communal_area", "trade", "state"], name="job_communal_open"),
            # The back-office queue's "open jobs of a trade, soonest due first": one index range scan.
            models.Index(
                fields=["trade", "due_at", "id"],
                condition=Q(state__in=sorted(OPEN_STATES)),
                name="job_open_trade_due",
            ),
        ]

    def __str__(self) -> str:
        return f"Job {self.pk}: {self.trade} at {self.location}"

    @builtins.property
    def location(self) -> Property | CommunalArea | None:
        return self.property or self.communal_area

    @builtins.property
    def is_communal(self) -> bool:
        return self.communal_area_id is not None

    @builtins.property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @builtins.property
    def is_recall(self) -> bool:
        return self.kind == JobKind.RECALL


# No 0/O or 1/I/L: a reference read over the phone cannot be misheard as another.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6


def new_report_reference() -> str:
    return "RP-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def new_status_token() -> str:
    return secrets.token_urlsafe(24)


class UpdatePreference(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    NONE = "none", "No updates"


class ReportQuerySet(models.QuerySet):
    def live(self) -> ReportQuerySet:
        """Reports still standing: a withdrawn report gets no more messages and keeps no job alive."""
        return self.filter(withdrawn_at__isnull=True)


class Report(models.Model):
    """One resident's account of a repair. Many reports may follow one communal job."""

    wagtail_reference_index_ignore = True  # operational rows: see docs/performance.md, reference index

    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="reports")
    reference = models.CharField(max_length=12, unique=True, default=new_report_reference, editable=False)
    status_token = models.CharField(max_length=64, unique=True, default=new_status_token, editable=False)
    reporter_property = models.ForeignKey(
        Property,
        on_delete=models.SET_NULL,
        related_name="reports",
        null=True,
        blank=True,
        help_text="The reporter's home, where known (a communal report may come from a neighbour).",
    )
    diagnosis = models.JSONField(default=list, blank=True, help_text="The questions answered, in order.")
    description = models.TextField()
    contact_name = models.CharField(max_length=150)
    contact_phone = models.CharField(max_length=30, blank=True)
    contact_email = models.EmailField(blank=True)
    update_preference = models.CharField(
        max_length=10, choices=UpdatePreference.choices, default=UpdatePreference.EMAIL
    )
    access_notes = models.TextField(blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the resident withdrew a report made in error."
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.reference

    @builtins.property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
