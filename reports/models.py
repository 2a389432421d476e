"""A record of each scheduled export, so the admin shows when finance and the HMS last got their files."""

from __future__ import annotations

from django.db import models


class ExportRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    changed_since = models.DateTimeField(
        null=True, blank=True, help_text="Rows changed from this time on; empty on the first run (all rows)."
    )
    files = models.JSONField(default=list, blank=True, help_text="The files written and where.")
    rows = models.PositiveIntegerField(default=0, help_text="Data rows written, all files together.")
    message = models.TextField(blank=True, help_text="Why the run failed, when it did.")

    class Meta:
        ordering = ["-started_at", "-id"]
        get_latest_by = "started_at"
        permissions = [("view_service_reports", "Can see the service reports and download exports")]

    def __str__(self) -> str:
        return f"Export {self.started_at:%d %b %Y %H:%M}: {self.get_status_display().lower()}"

    @classmethod
    def last_success(cls) -> ExportRun | None:
        return cls.objects.filter(status=cls.Status.SUCCEEDED).order_by("-started_at", "-id").first()


class JobDaySummary(models.Model):
    """The reports page's figures for one London day and one combination of the page's filters.

    Three kinds of row share the table, each counted on its own day: jobs raised that day (`raised`
    and the communal reports on them), jobs completed that day (`completed` onwards, split by
    `working_days` and `came_back_after`), and visits recorded that day (`visits`, `no_access`). A
    figure sums the rows of its period. Kept current by `reports.summary` (see docs/reports.md): each
    change to a job, report or event rebuilds the days it touches once the change commits.
    """

    day = models.DateField()
    trade_id = models.BigIntegerField()
    priority_id = models.BigIntegerField()
    estate_id = models.BigIntegerField(null=True)
    assignee_id = models.BigIntegerField(null=True)
    channel = models.CharField(max_length=10)
    communal = models.BooleanField()
    working_days = models.IntegerField(
        null=True, help_text="Working days from report to completion (completion rows only)."
    )
    came_back_after = models.IntegerField(
        null=True,
        help_text="Days (rounded up) from completion to the first recall or follow-on of a repair.",
    )
    raised = models.IntegerField(default=0)
    communal_reports = models.IntegerField(default=0)
    communal_jobs_reported = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    repairs_completed = models.IntegerField(default=0)
    # Money in pence: integer sums are several times cheaper than numeric ones over a year of rows.
    actual_pence = models.BigIntegerField(default=0)
    estimated_pence = models.BigIntegerField(default=0)
    sor_pence = models.BigIntegerField(default=0)
    visits_started = models.IntegerField(default=0)
    no_access = models.IntegerField(default=0)
    no_access_from_booking = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="report_summary_day")]

    def __str__(self) -> str:
        return f"Summary for {self.day:%d %b %Y}"


class HomeCostSummary(models.Model):
    """Costs of jobs completed in one home on one London day, for "the homes that cost most"; the
    page's filters are kept beside them. Rebuilt with `JobDaySummary`, day by day."""

    day = models.DateField()
    property_id = models.BigIntegerField()
    property_ref = models.CharField(max_length=30)
    trade_id = models.BigIntegerField()
    priority_id = models.BigIntegerField()
    estate_id = models.BigIntegerField(null=True)
    assignee_id = models.BigIntegerField(null=True)
    channel = models.CharField(max_length=10)
    jobs = models.IntegerField(default=0)
    # Money in pence: integer sums are several times cheaper than numeric ones over a year of rows.
    actual_pence = models.BigIntegerField(default=0)
    estimated_pence = models.BigIntegerField(default=0)
    sor_pence = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="report_home_cost_day")]

    def __str__(self) -> str:
        return f"Costs of {self.property_ref} on {self.day:%d %b %Y}"


class SummaryDay(models.Model):
    """One row per day the summary holds: locked while that day is rebuilt, so two rebuilds never
    interleave, and stamped with when it was last rebuilt."""

    day = models.DateField(primary_key=True)
    rebuilt_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.day:%d %b %Y}"
