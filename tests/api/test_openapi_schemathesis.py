"""Schemathesis against the OpenAPI document the app serves, in-process through the WSGI app.

Every operation gets generated valid and invalid requests (with a key that holds every scope) and
must answer what the document promises: no 500s, documented status codes and content types, bodies
that match their schemas, invalid input refused. The stateful run follows the document's links from
a booking to its status, change and cancel. Business rules no schema can say (an unknown trade code,
a slot that has gone) answer 404, 409 or 422 problem details, so those count as accepted answers.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.config import SchemathesisConfig

from api.keys import digest
from api.models import ApiKey, Scope

CONFIG = """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "409", "422"]
"""
HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


SECRET = "ro_5c4e11a0_schemathesis-only-secret-for-the-test-suite"


@pytest.fixture
def one_connection():
    """Keep the test's database connection across in-process requests, as Django's test client does:
    the WSGI handler would otherwise close it when each request finishes (fatal on PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def partner_key(register, one_connection):
    """A key with every scope and room for every generated call, under a secret the schema sends."""
    ApiKey.objects.create(
        name="Schemathesis",
        prefix="5c4e11a0",
        secret_hash=digest(SECRET),
        scopes=[scope.value for scope in Scope],
        rate_limit_per_minute=1_000_000,
    )


schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=SchemathesisConfig.from_str(CONFIG)
)
schema.config.update(headers={"Authorization": f"Bearer {SECRET}"})


@pytest.mark.django_db
@schema.parametrize()
@HYPOTHESIS
def test_every_operation_answers_as_documented(case, partner_key):
    case.call_and_validate()


@pytest.mark.django_db
def test_links_from_a_booking_to_its_status_and_appointment_hold(partner_key):
    workflow = schema.as_state_machine()
    workflow.run(settings=settings(HYPOTHESIS, max_examples=10, stateful_step_count=6))
