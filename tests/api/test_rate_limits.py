"""Limits on the APIs: calls without a valid key are counted per client address (the repairs API answers
a 429 problem, Open311 its own error list), while keyed calls keep their per-key allowance."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from api.keys import issue_key
from api.models import Scope

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_allowance(settings):
    settings.API_ANONYMOUS_RATE_LIMIT = 2


def addresses(client: Client, **headers):
    return client.get("/api/v1/addresses", {"postcode": "AA1 1AB"}, **headers)


def test_calls_without_a_key_are_limited_per_address_with_a_problem(register):
    client = Client(REMOTE_ADDR="198.51.100.20")
    assert addresses(client).status_code == 401
    assert addresses(client, HTTP_AUTHORIZATION="Bearer ro_abcd1234_guess").status_code == 401

    refused = addresses(client, HTTP_AUTHORIZATION="Bearer ro_abcd1234_guess2")

    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    problem = refused.json()
    assert problem["type"].endswith("/rate-limited") and problem["status"] == 429
    assert problem["instance"] == "/api/v1/addresses"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert addresses(Client(REMOTE_ADDR="198.51.100.21")).status_code == 401


def test_a_valid_key_is_counted_by_key_not_by_address(register):
    issued = issue_key(name="CRM", scopes=[Scope.ADDRESSES], rate_limit_per_minute=5)
    client = Client(REMOTE_ADDR="198.51.100.22")
    for _ in range(3):
        addresses(client)  # a neighbour on the same address spends the anonymous allowance

    keyed = [addresses(client, HTTP_AUTHORIZATION=f"Bearer {issued.secret}") for _ in range(5)]

    assert [answer.status_code for answer in keyed] == [200] * 5
    assert keyed[-1]["RateLimit-Remaining"] == "0"
    assert addresses(client, HTTP_AUTHORIZATION=f"Bearer {issued.secret}").status_code == 429


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_reads_are_limited_per_address_in_the_specifications_error_shape(register, fmt):
    client = Client(REMOTE_ADDR="198.51.100.23")
    assert client.get(f"/open311/v2/services.{fmt}").status_code == 200
    assert client.get(f"/open311/v2/requests.{fmt}").status_code == 200

    refused = client.get(f"/open311/v2/requests/RP-222222.{fmt}")

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    if fmt == "json":
        assert refused.json()[0]["code"] == 429
    else:
        assert ET.fromstring(refused.content).find("error/code").text == "429"
    assert Client(REMOTE_ADDR="198.51.100.24").get(f"/open311/v2/services.{fmt}").status_code == 200


def test_open311_reads_behind_a_trusted_proxy_count_the_resident(register, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    for _ in range(2):
        Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.30").get(
            "/open311/v2/services.json"
        )

    same = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="7.7.7.7, 203.0.113.30")
    other = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.31")

    assert same.get("/open311/v2/services.json").status_code == 429
    assert other.get("/open311/v2/services.json").status_code == 200


def test_creating_through_open311_is_counted_by_key_not_by_address(register, key_secret):
    client = Client(REMOTE_ADDR="198.51.100.25")
    for _ in range(2):
        client.get("/open311/v2/services.json")
    assert client.get("/open311/v2/services.json").status_code == 429

    created = client.post(
        "/open311/v2/requests.json", {"api_key": key_secret(Scope.BOOK), "service_code": "nothing-such"}
    )

    assert created.status_code == 404  # reached the service check: not refused by the address limit
