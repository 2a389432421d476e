"""Guessing repairs fails quietly: the look-up and status links answer every kind of miss alike, with the
same work done, and a client that keeps guessing is refused for a while."""

from __future__ import annotations

import hmac
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from repairs import selectors
from repairs.views import status as status_views
from tests.repairs.factories import ReportFactory

pytestmark = pytest.mark.django_db

WRONG_POSTCODE = "ZZ9 9ZZ"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def report():
    return ReportFactory()


def page(response) -> str:
    """The page with what changes per response (nonce, CSRF token) and the typed reference blanked."""
    html = response.content.decode()
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'(name="reference"[^>]*value=")[^"]*"', r'\1"', html)


def look_up(client: Client, reference: str, postcode: str = WRONG_POSTCODE):
    with CaptureQueriesContext(connection) as seen:
        response = client.post("/repairs/status/", {"reference": reference, "postcode": postcode})
    return response, len(seen)


def test_a_wrong_reference_a_wrong_postcode_and_a_malformed_reference_look_the_same(report) -> None:
    client = Client()
    client.get("/repairs/status/")  # warms the site and its settings
    answers = {
        "unknown reference": look_up(client, "RP-222222"),
        "known reference, wrong postcode": look_up(client, report.reference),
        "malformed reference": look_up(client, "hello <b>"),
    }

    statuses = {name: response.status_code for name, (response, _) in answers.items()}
    pages = {page(response) for response, _ in answers.values()}
    queries = {name: count for name, (_, count) in answers.items()}
    assert set(statuses.values()) == {400}, statuses
    assert len(pages) == 1
    assert len(set(queries.values())) == 1, queries
    assert str(status_views.NOT_FOUND) in pages.pop()


def test_the_right_reference_and_postcode_lead_to_the_status_page(report) -> None:
    response, _ = look_up(Client(), report.reference.lower(), report.job.property.postcode)
    assert response["Location"] == f"/repairs/status/{report.status_token}/"


def test_the_postcode_is_compared_in_constant_time_against_as_many_candidates_either_way(
    report, monkeypatch
) -> None:
    compared = []
    real = hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(status_views.hmac, "compare_digest", spy)
    look_up(Client(), "RP-222222")
    unknown = len(compared)
    compared.clear()
    look_up(Client(), report.reference)

    assert unknown == len(compared) == status_views.KNOWN_POSTCODES


def link(client: Client, token: str):
    with CaptureQueriesContext(connection) as seen:
        response = client.get(f"/repairs/status/{token}/")
    return response, len(seen)


def test_an_unknown_token_and_a_malformed_one_get_the_same_not_found_page(report) -> None:
    client = Client()
    client.get("/repairs/status/")  # warms the site and its settings
    unknown_token = report.status_token[:-4] + (
        "AAAA" if not report.status_token.endswith("AAAA") else "BBBB"
    )
    answers = [
        link(client, unknown_token),
        link(client, "x"),
        link(client, "not a token!" * 5),
        link(client, "%00"),  # a NUL reaches no database
    ]

    # The page may link to itself (the language switch): the path asked for is the only difference.
    pages = {
        re.sub(r"/repairs/status/[^\"'<\s]*", "/repairs/status/…", page(response)) for response, _ in answers
    }
    assert {response.status_code for response, _ in answers} == {404}
    assert len(pages) == 1
    assert len({count for _, count in answers}) == 1
    assert "Page not found" in page(answers[0][0])


def test_a_found_token_is_compared_again_in_constant_time(report, monkeypatch) -> None:
    compared = []
    real = hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(selectors.hmac, "compare_digest", spy)

    assert selectors.report_by_status_token(report.status_token) == report
    assert compared == [(report.status_token.encode(), report.status_token.encode())]


def test_a_client_that_keeps_missing_is_refused_even_for_a_real_link(report, settings) -> None:
    settings.STATUS_MISS_RATE_LIMIT = 3
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(3):
        assert guesser.get(f"/repairs/status/guess{n}/").status_code == 404

    refused = guesser.get(f"/repairs/status/{report.status_token}/")

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= settings.STATUS_MISS_RATE_WINDOW
    assert "You have tried too many times" in refused.content.decode()
    assert refused["X-Robots-Tag"].startswith("noindex")
    assert (
        Client(REMOTE_ADDR="198.51.100.8").get(f"/repairs/status/{report.status_token}/").status_code == 200
    )


def test_a_real_link_viewed_again_and_again_is_not_a_miss(report, settings) -> None:
    settings.STATUS_MISS_RATE_LIMIT = 1
    client = Client()
    for _ in range(5):
        assert client.get(f"/repairs/status/{report.status_token}/").status_code == 200


def test_requests_for_status_links_are_limited_per_client(report, settings) -> None:
    settings.STATUS_LINK_RATE_LIMIT = 2
    client = Client(REMOTE_ADDR="198.51.100.9")
    assert client.get(f"/repairs/status/{report.status_token}/").status_code == 200
    assert client.get(f"/repairs/status/{report.status_token}/").status_code == 200

    refused = client.get(f"/repairs/status/{report.status_token}/appointment/")

    assert refused.status_code == 429
    assert "Retry-After" in refused


def test_a_forged_forwarded_for_does_not_escape_the_limit(report, settings) -> None:
    settings.STATUS_MISS_RATE_LIMIT = 2
    settings.TRUSTED_PROXY_HOPS = 1
    proxy = "10.0.0.1"
    for forged in ("1.1.1.1", "2.2.2.2"):
        response = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.5").get(
            "/repairs/status/guess/"
        )
        assert response.status_code == 404

    again = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="3.3.3.3, 203.0.113.5").get(
        "/repairs/status/guess/"
    )
    neighbour = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.6").get("/repairs/status/guess/")

    assert again.status_code == 429  # same resident behind our proxy, whatever they claim on the left
    assert neighbour.status_code == 404


def test_without_trusted_proxies_the_forwarded_header_is_ignored(report, settings) -> None:
    settings.STATUS_MISS_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_HOPS = 0
    Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="1.1.1.1").get("/repairs/status/guess/")

    response = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="2.2.2.2").get("/repairs/status/guess/")

    assert response.status_code == 429


def test_the_look_up_limit_is_read_from_settings(report, settings) -> None:
    settings.STATUS_LOOKUP_RATE_LIMIT = 2
    client = Client()
    look_up(client, "RP-222222")
    look_up(client, "RP-222222")

    refused, _ = look_up(client, report.reference, report.job.property.postcode)

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= settings.STATUS_LOOKUP_RATE_WINDOW
    assert "you cannot check a repair for" in refused.content.decode()
