"""Reads shared by the status page, the contact centre and the APIs."""

from __future__ import annotations

from .models import Report
from .references import is_well_formed, normalise_reference


def report_by_status_token(token: str) -> Report | None:
    """The report a status link points at; its job is the one it follows now, after any merge."""
    if not token:
        return None
    return (
        Report.objects.select_related("job", "job__trade", "job__priority").filter(status_token=token).first()
    )


def report_by_reference(reference: str) -> Report | None:
    """The report for a reference as a person typed or read it ('rp 7k3m9q' works)."""
    reference = normalise_reference(reference)
    if not is_well_formed(reference):
        return None
    return (
        Report.objects.select_related("job", "job__trade", "job__priority")
        .filter(reference=reference)
        .first()
    )
