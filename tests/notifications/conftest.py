"""Fixtures for the notifications tests: a local fake Notify, rules, and jobs with reporters."""

from __future__ import annotations

import pytest

from notifications.models import Audience, NotificationRule, Trigger
from repairs.models import UpdatePreference
from tests.notifications.fake_notify import FakeNotify, running
from tests.repairs.factories import CommunalJobFactory, JobFactory, ReportFactory

EMAIL_TEMPLATE = "11111111-2222-4333-8444-555555555555"
SMS_TEMPLATE = "66666666-7777-4888-8999-aaaaaaaaaaaa"


@pytest.fixture
def fake_notify():
    fake = FakeNotify()
    with running(fake) as url:
        fake.url = url
        yield fake
    assert fake.invalid == [], f"requests that broke Notify's schema: {fake.invalid}"


@pytest.fixture
def notify_settings(settings, fake_notify):
    """Point the project at the fake Notify with a real-looking key; no shared limiter (no Redis)."""
    settings.NOTIFY_API_KEY = fake_notify.api_key
    settings.NOTIFY_BASE_URL = fake_notify.url
    settings.NOTIFY_TIMEOUT = 2
    settings.NOTIFY_RATE_REDIS_URL = ""
    return settings


@pytest.fixture
def recording_settings(settings):
    settings.NOTIFY_API_KEY = ""
    settings.NOTIFY_RATE_REDIS_URL = ""
    return settings


def make_rule(**kwargs) -> NotificationRule:
    values = {
        "name": "Test rule",
        "trigger": Trigger.STATE,
        "state": "scheduled",
        "audience": Audience.REPORTERS,
        "email_template_id": EMAIL_TEMPLATE,
        "sms_template_id": SMS_TEMPLATE,
        "personalisation": "reference, status_url, repair",
    }
    values.update(kwargs)
    rule = NotificationRule(**values)
    rule.full_clean()
    rule.save()
    return rule


@pytest.fixture
def no_default_rules(db):
    """The data migration's default rules are switched off so each test names its own."""
    NotificationRule.objects.update(is_active=False)


def communal_job_with_reporters():
    """A communal job followed by four neighbours: two by email, one by text, one wanting nothing."""
    job = CommunalJobFactory()
    reports = [
        ReportFactory(job=job, contact_email="ann@example.invalid", update_preference=UpdatePreference.EMAIL),
        ReportFactory(job=job, contact_email="bo@example.invalid", update_preference=UpdatePreference.EMAIL),
        ReportFactory(
            job=job, contact_email="", contact_phone="07700900123", update_preference=UpdatePreference.SMS
        ),
        ReportFactory(job=job, contact_email="dee@example.invalid", update_preference=UpdatePreference.NONE),
    ]
    return job, reports


def home_job_with_reporter(**report):
    job = JobFactory()
    values = {"contact_email": "sam@example.invalid", "update_preference": UpdatePreference.EMAIL}
    values.update(report)
    return job, ReportFactory(job=job, **values)
