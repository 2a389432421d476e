"""Scripts on the public pages: a honeypot on the report's first question, and a per-address limit on
sending reports that shares its counter code with the status look-up."""

# ruff: noqa: F811 (the `world` fixture is imported, and test arguments name it)
from __future__ import annotations

import pytest
from django.core.cache import cache

from repairs.models import Report
from tests.repairs.test_journey_fixtures import begin, walk_in_home, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def test_the_postcode_page_carries_a_hidden_honeypot(client, world):
    begin(client, world.leak)

    page = client.get("/repairs/report/postcode/").content.decode()

    assert 'name="website"' in page
    assert 'class="govuk-!-display-none" aria-hidden="true"' in page


def test_a_filled_honeypot_ends_the_journey_quietly(client, world):
    begin(client, world.leak)

    response = client.post("/repairs/report/postcode/", {"postcode": "aa11ab", "website": "http://spam"})

    assert response.status_code == 302
    assert response["Location"] == "/repairs/report/session-ended/"
    assert client.get("/repairs/report/address/")["Location"] == "/repairs/report/session-ended/"


def test_an_empty_honeypot_lets_the_resident_carry_on(client, world):
    begin(client, world.leak)

    response = client.post("/repairs/report/postcode/", {"postcode": "aa11ab", "website": ""})

    assert response.status_code == 302
    assert "address" in response["Location"]


def test_reports_from_one_address_are_limited_and_nothing_is_saved_past_the_limit(client, world, settings):
    settings.REPORT_RATE_LIMIT = 1
    walk_in_home(client, world)
    token = client.get("/repairs/report/check-your-answers/").context["submission"]
    assert client.post("/repairs/report/check-your-answers/", {"submission": token}).status_code == 302
    walk_in_home(client, world, home=world.homes[1])
    token = client.get("/repairs/report/check-your-answers/").context["submission"]

    blocked = client.post("/repairs/report/check-your-answers/", {"submission": token})

    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) == settings.REPORT_RATE_WINDOW
    assert "Too many repairs reported" in blocked.content.decode()
    assert Report.objects.count() == 1
    # the answers are kept: the check page still shows them
    assert client.get("/repairs/report/check-your-answers/").status_code == 200


def test_another_address_is_counted_separately(client, world, settings):
    settings.REPORT_RATE_LIMIT = 1
    walk_in_home(client, world)
    token = client.get("/repairs/report/check-your-answers/").context["submission"]
    client.post("/repairs/report/check-your-answers/", {"submission": token}, REMOTE_ADDR="10.0.0.1")
    walk_in_home(client, world, home=world.homes[1])
    token = client.get("/repairs/report/check-your-answers/").context["submission"]

    response = client.post(
        "/repairs/report/check-your-answers/", {"submission": token}, REMOTE_ADDR="10.0.0.2"
    )

    assert response.status_code == 302
    assert Report.objects.count() == 2


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_counted(rf, settings):
    from repairs.abuse import client_ip

    settings.TRUSTED_PROXY_HOPS = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"  # the left entry is the client's own claim

    settings.TRUSTED_PROXY_HOPS = 0
    assert client_ip(request) == "10.0.0.1"
