"""Wagtail's reference index records links between content for editors ("used in 3 places"); the
operational rows a busy day writes by the thousand (jobs, reports, events, messages, versions) stay out
of it, so a resident's report does not also write a dozen index rows."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import resolve
from wagtail.models import ReferenceIndex

from repairs.models import Job, Report
from tests.properties.factories import PropertyFactory
from tests.repairs.reporting import report


@pytest.mark.django_db(transaction=True)
def test_a_report_and_its_job_write_no_reference_index_rows() -> None:
    resolve("/")  # the admin's viewsets register their models for indexing when the URLs load
    filed = report(property=PropertyFactory())
    Job.objects.get(pk=filed.job_id).save()
    operational = ContentType.objects.get_for_models(Job, Report).values()
    assert not ReferenceIndex.objects.filter(content_type__in=operational).exists()
    assert not ReferenceIndex.objects.filter(base_content_type__in=operational).exists()


def test_content_and_set_up_stay_indexed() -> None:
    resolve("/")
    tracked = {model._meta.label for model in ReferenceIndex.tracked_models}
    assert {"cms.OutcomePage", "repairs.SorCode"} <= tracked
    assert not tracked & {"repairs.Job", "repairs.Report", "workflows.JobEvent", "notifications.Message"}
