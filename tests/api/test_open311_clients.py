"""Open311 GeoReport v2 driven by third-party clients from PyPI over real HTTP, in JSON and XML.

`georeport` reads (services, definitions, requests) in both formats; it cannot create requests, so
`civicbot`'s Open311 client creates them (it posts the specification's form and reads JSON; for XML
its prepared request is posted as it built it and the XML answer parsed). A request made this way is
a report in the back-office queue and on its status page.
"""

from __future__ import annotations

import re

import pytest
import requests
import xmltodict
from civicbot.http import HttpError, HttpTransport, RateLimiter
from civicbot.open311 import Open311Client
from civicbot.registry import Endpoint
from django.test import Client
from georeport import GeoReport

from repairs.models import Channel, Report
from tests.workflows.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def base_url(live_server) -> str:
    return f"{live_server.url}/open311/v2"


def civic_client(base_url: str, fmt: str = "json") -> Open311Client:
    endpoint = Endpoint(id="council", name="Council", base_url=base_url, write=True)
    return Open311Client(endpoint, HttpTransport(rate_limiter=RateLimiter(min_interval=0)), fmt=fmt)


def report_for(client: Open311Client, secret: str, home, **extra):
    return client.create_request(
        "trade-PL",
        dry_run=False,
        confirm="SEND",
        api_key=secret,
        validate_remote=True,
        address_id=home.property_ref,
        description="Water coming through the kitchen ceiling",
        first_name="Sam",
        last_name="Resident",
        email="sam@example.invalid",
        attributes={"priority": "RO", "size": "M"},
        **extra,
    )


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_services_and_definitions_read_through_georeport(base_url, register, fmt):
    client = GeoReport(base_url, output_format=fmt)
    listed = client.get_service_list()
    codes = {service["service_code"] for service in listed}
    assert {"trade-PL", "trade-LF"} <= codes
    definition = client.get_service_definition("trade-PL")
    attributes = definition["attributes"]
    attributes = attributes["attribute"] if fmt == "xml" else attributes
    priority = next(a for a in attributes if a["code"] == "priority")
    values = priority["values"]["value"] if fmt == "xml" else priority["values"]
    values = values if isinstance(values, list) else [values]
    assert {"key": "RO", "name": "Routine"} in [dict(v) for v in values]


def test_a_request_made_through_open311_is_in_the_back_office_and_on_the_status_page(
    base_url, register, key_secret
):
    secret = key_secret("book")
    created = report_for(civic_client(base_url), secret, register["homes"][0]).response
    reference = created[0]["service_request_id"]
    report = Report.objects.select_related("job").get(reference=reference)
    assert report.channel == Channel.API and report.job.size == "M" and report.job.priority.code == "RO"
    assert f"/repairs/status/{report.status_token}/" in created[0]["service_notice"]

    staff = Client()
    staff.force_login(UserFactory(is_superuser=True))  # roles are data a transactional test flushes
    queue = staff.get("/back-office/").content.decode()
    assert f'href="/back-office/jobs/{report.job_id}/"' in queue
    assert reference in staff.get(f"/back-office/jobs/{report.job_id}/").content.decode()
    status_page = requests.get(
        f"{base_url.removesuffix('/open311/v2')}/repairs/status/{report.status_token}/"
    )
    assert status_page.status_code == 200 and reference in status_page.text

    for fmt in ("json", "xml"):
        read = GeoReport(base_url, output_format=fmt)
        one = read.get_service_request(reference)
        assert one["service_request_id"] == reference and one["status"] == "open"
        assert one["service_code"] == "trade-PL" and "Sam" not in str(one)
        listed = read.get_service_requests(status="open")
        listed = listed if isinstance(listed, list) else [listed]
        assert reference in {request["service_request_id"] for request in listed}


def test_a_request_is_created_and_answered_in_xml(base_url, register, key_secret):
    prepared = civic_client(base_url, fmt="xml").build_request(
        "trade-PL",
        api_key=key_secret("book"),
        address_string="Flat 12, Kestrel House, aa1 1ab",
        description="Radiator cold",
        first_name="Alex",
    )
    assert prepared.url.endswith("/requests.xml")
    answer = requests.post(prepared.url, data=prepared.form)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/xml")
    reference = xmltodict.parse(answer.content)["service_requests"]["request"]["service_request_id"]
    report = Report.objects.get(reference=reference)
    assert report.job.property == register["homes"][1]


def test_a_communal_request_joins_the_open_job_for_that_area(base_url, register, key_secret):
    client, secret = civic_client(base_url), key_secret("book")
    area = f"communal-{register['lift'].pk}"
    first, second = (
        client.create_request(
            "trade-LF", dry_run=False, confirm="SEND", api_key=secret, address_id=area, first_name=name
        ).response[0]
        for name in ("First", "Second")
    )
    jobs = {
        report.job_id
        for report in Report.objects.filter(
            reference__in=[first["service_request_id"], second["service_request_id"]]
        )
    }
    assert len(jobs) == 1 and "already been reported" in second["service_notice"]


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"api_key": "ro_nope_nope"}, 403, "api_key"),
        ({"service_code": "trade-ZZ"}, 404, "No service"),
        ({"address_id": None, "lat": 51.5, "lng": -0.1}, 400, "no coordinates"),
        ({"description": "x" * 1001}, 400, "at most 1000"),
    ],
)
def test_bad_requests_get_the_specifications_error_list(
    base_url, register, key_secret, changes, status, words
):
    fields = {
        "api_key": key_secret("book"),
        "address_id": register["homes"][0].property_ref,
        "description": "Tap drips",
        "first_name": "Sam",
        "service_code": "trade-PL",
    }
    fields.update(changes)
    code = fields.pop("service_code")
    with pytest.raises(HttpError) as refused:
        civic_client(base_url).create_request(code, dry_run=False, confirm="SEND", **fields)
    assert refused.value.status == status
    assert re.search(words, refused.value.body, re.IGNORECASE)
    assert Report.objects.count() == 0


def test_a_key_without_the_book_scope_cannot_create(base_url, register, key_secret):
    with pytest.raises(HttpError) as refused:
        report_for(civic_client(base_url), key_secret("status:read"), register["homes"][0])
    assert refused.value.status == 403
