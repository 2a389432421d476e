"""The job page's hazard clocks, so the job view itself needs no change to show them."""

from __future__ import annotations

from django import template
from django.utils import timezone

from workflows.hazards.selectors import case_for_job

register = template.Library()


@register.inclusion_tag("backoffice/hazards/_job_panel.html")
def hazard_clocks(job) -> dict:
    from backoffice.views.hazards import clock_rows

    case = case_for_job(job.pk)
    return {"case": case, "clocks": clock_rows(case.stage_list, timezone.now()) if case else []}
