"""The admin's job page and the back-office job page read as words: no "None", and "SoR code"."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from tests.backoffice.conftest import signed_in
from tests.repairs.factories import CommunalJobFactory, JobFactory, ReportFactory

pytestmark = pytest.mark.django_db


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_admin_job_page_names_the_sor_code_and_never_shows_none() -> None:
    admin = User.objects.create_superuser("it", "it@example.org", "a long password 42")
    job = JobFactory()
    text = visible_text(signed_in(admin).get(f"/admin/repairs/jobs/inspect/{job.pk}/").content.decode())
    assert "SoR code" in text and "Sor code" not in text
    assert "Not set" in text
    assert not re.search(r"\bNone\b", text)


@pytest.mark.parametrize("factory", [JobFactory, CommunalJobFactory])
def test_the_back_office_job_page_never_shows_none(manager_client, factory) -> None:
    job = factory()
    ReportFactory(job=job)
    text = visible_text(manager_client.get(f"/back-office/jobs/{job.pk}/").content.decode())
    assert not re.search(r"\bNone\b", text), text[:2000]
