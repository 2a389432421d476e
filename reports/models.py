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
